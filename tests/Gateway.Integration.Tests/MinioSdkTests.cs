using System.Security.Cryptography;
using Gateway.Integration.Tests.Support;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Gateway.Integration.Tests;

[Collection(AuthOffCollection.Name)]
[Trait("Host", "Any")]
public sealed class MinioSdkTests(AuthOffFixture fx)
{
    [Fact]
    public async Task Minio_BucketAndObjectLifecycle_RoundTrip()
    {
        using var minio = fx.Minio();
        var bucket = "master." + GatewayFixture.NewName("mio");
        await minio.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        Assert.True(await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)));
        Assert.False(await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket("master." + GatewayFixture.NewName("nob"))));
        Assert.Contains((await minio.ListBucketsAsync()).Buckets, b => b.Name == bucket);

        var data = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 5);
        await minio.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject("dir/file with space.bin")
            .WithStreamData(new MemoryStream(data)).WithObjectSize(data.Length).WithContentType("application/octet-stream"));

        var stat = await minio.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject("dir/file with space.bin"));
        Assert.Equal(data.Length, stat.Size);

        using var received = new MemoryStream();
        await minio.GetObjectAsync(new GetObjectArgs().WithBucket(bucket).WithObject("dir/file with space.bin")
            .WithCallbackStream(async (s, ct) => await s.CopyToAsync(received, ct)));
        Assert.Equal(data, received.ToArray());

        var items = new List<string>();
        await foreach (var item in minio.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(bucket).WithRecursive(true)))
        {
            items.Add(item.Key);
        }

        Assert.Equal(["dir/file with space.bin"], items);

        await minio.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject("dir/file with space.bin"));
        await Assert.ThrowsAnyAsync<MinioException>(() => minio.StatObjectAsync(new StatObjectArgs().WithBucket(bucket).WithObject("dir/file with space.bin")));
        await minio.RemoveBucketAsync(new RemoveBucketArgs().WithBucket(bucket));
        Assert.False(await minio.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)));
    }
}
