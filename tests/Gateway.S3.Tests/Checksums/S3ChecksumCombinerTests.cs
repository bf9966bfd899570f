using System.IO.Hashing;
using System.Security.Cryptography;
using Gateway.S3.Checksums;

namespace Gateway.S3.Tests.Checksums;

public sealed class S3ChecksumCombinerTests
{
    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    [InlineData(S3ChecksumAlgorithm.Crc32C)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme)]
    public void FullObject_RandomParts_EqualsChecksumOfWhole(S3ChecksumAlgorithm algorithm)
    {
        var rng = new Random(7);
        for (var round = 0; round < 20; round++)
        {
            var partCount = rng.Next(1, 6);
            var parts = Enumerable.Range(0, partCount).Select(_ => RandomNumberGenerator.GetBytes(rng.Next(0, 3000))).ToArray();
            var whole = parts.SelectMany(p => p).ToArray();

            var combined = S3ChecksumCombiner.FullObject(algorithm, [.. parts.Select(p => (S3ChecksumHasher.Compute(algorithm, p), (long)p.Length))]);

            Assert.Equal(S3ChecksumHasher.Compute(algorithm, whole), combined);
        }
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    [InlineData(S3ChecksumAlgorithm.Crc32C)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme)]
    public void Combine_LargeLength_MatchesStreamingOverZeros(S3ChecksumAlgorithm algorithm)
    {
        var a = RandomNumberGenerator.GetBytes(100);
        var b = new byte[5 * 1024 * 1024];
        var crcA = Crc(algorithm, a);
        var crcB = Crc(algorithm, b);

        var combined = S3ChecksumCombiner.Combine(crcA, crcB, b.Length, algorithm);

        Assert.Equal(Crc(algorithm, [.. a, .. b]), combined);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Sha256)]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    public void Composite_HashOfPartDigestsWithCount(S3ChecksumAlgorithm algorithm)
    {
        var p1 = RandomNumberGenerator.GetBytes(1000);
        var p2 = RandomNumberGenerator.GetBytes(10);
        var c1 = S3ChecksumHasher.Compute(algorithm, p1);
        var c2 = S3ChecksumHasher.Compute(algorithm, p2);
        var expected = S3ChecksumHasher.Compute(algorithm, [.. Convert.FromBase64String(c1.Base64), .. Convert.FromBase64String(c2.Base64)]).Base64 + "-2";

        Assert.Equal(expected, S3ChecksumCombiner.Composite(algorithm, [c1, c2]));
    }

    [Fact]
    public void FullObject_Sha256_NotSupported()
    {
        Assert.False(S3ChecksumCombiner.SupportsFullObject(S3ChecksumAlgorithm.Sha256));
        Assert.Throws<ArgumentOutOfRangeException>(() => S3ChecksumCombiner.FullObject(S3ChecksumAlgorithm.Sha256, []));
    }

    private static ulong Crc(S3ChecksumAlgorithm algorithm, byte[] data) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => Crc32.HashToUInt32(data),
        S3ChecksumAlgorithm.Crc32C => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data),
        S3ChecksumAlgorithm.Crc64Nvme => Crc64.HashToUInt64(Crc64ParameterSet.Nvme, data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };
}
