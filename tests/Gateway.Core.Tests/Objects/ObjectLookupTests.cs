using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Tests.Support;
using Gateway.S3.Errors;

namespace Gateway.Core.Tests.Objects;

[Collection(PachdCollection.Name)]
public sealed class ObjectLookupTests(PachdServer pachd)
{
    private static ObjectAddress Address(string bucket, string key, string? versionId = null)
    {
        Assert.True(BucketName.TryParse(bucket, out var parsed, out _));
        return new ObjectAddress(bucket, parsed, key, versionId);
    }

    private async Task<S3Exception> MissAsync(ObjectAddress address) =>
        await Assert.ThrowsAsync<S3Exception>(() => ObjectLookup.FindAsync(pachd.Client, address, default));

    [Fact]
    public async Task Find_Existing_PinnedToTheCommitThatHoldsIt()
    {
        var repo = await pachd.NewRepoAsync();
        var commit = await pachd.PutAsync(repo, "/a/b", "xyz");

        var found = await ObjectLookup.FindAsync(pachd.Client, Address(repo, "a/b"), default);

        Assert.Equal(3, found.Size);
        Assert.Equal(commit, found.VersionId);
        Assert.Equal(commit, found.File.Commit.Id);
        Assert.Equal("/a/b", found.File.Path);
        Assert.NotNull(found.LastModified);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/")]
    [InlineData("missing")]
    [InlineData("bad+key")]
    [InlineData("a//b")]
    public async Task Find_NoObjectThere_NoSuchKeyNamingTheKey(string key)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/a/b", "xyz");

        var e = await MissAsync(Address(repo, key));

        Assert.Equal("NoSuchKey", e.Error.Code);
        Assert.Equal(key, e.Key);
    }

    [Fact]
    public async Task Find_MissingRepo_NoSuchBucketNamingTheAddressedBucket()
    {
        var e = await MissAsync(Address("master.nosuchsource", "k"));

        Assert.Equal("NoSuchBucket", e.Error.Code);
        Assert.Equal("master.nosuchsource", e.BucketName);
    }

    [Fact]
    public async Task Find_UnknownVersion_NoSuchVersion()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var e = await MissAsync(Address(repo, "k", "0123456789ab4def0123456789abcdef"));

        Assert.Equal("NoSuchVersion", e.Error.Code);
        Assert.Contains(new KeyValuePair<string, string>("VersionId", "0123456789ab4def0123456789abcdef"), e.Details);
    }

    [Fact]
    public async Task Find_BucketPinnedToAnUnknownCommit_NoSuchVersion()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "x");

        var e = await MissAsync(Address($"0123456789ab4def0123456789abcdef.master.{repo}", "k"));

        Assert.Equal("NoSuchVersion", e.Error.Code);
    }

    [Fact]
    public async Task Find_NameWrittenByOtherMeans_FoundUnderItsLiteralName()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/it's here~.txt", "written by pachctl");

        var found = await ObjectLookup.FindAsync(pachd.Client, Address(repo, "it's here~.txt"), default);

        Assert.Equal("/it's here~.txt", found.File.Path);
    }

    [Fact]
    public async Task FindCurrent_DirectoryOrMissing_Null()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/d/x", "x");
        var bucket = Address(repo, "d").Bucket;

        Assert.Null(await ObjectLookup.FindCurrentAsync(pachd.Client, bucket, "d", default));
        Assert.Null(await ObjectLookup.FindCurrentAsync(pachd.Client, bucket, "nope", default));
        Assert.NotNull(await ObjectLookup.FindCurrentAsync(pachd.Client, bucket, "d/x", default));
    }
}
