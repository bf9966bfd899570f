using Gateway.Core.Uploads;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Requests;
using Google.Protobuf;

namespace Gateway.Core.Tests.Uploads;

public sealed class CompletePlannerTests
{
    private const long _mib = 1024 * 1024;

    private static StoredPart Part(int n, long size) => new(n, $"/u/parts/{n:D5}/1-a", size,
        ByteString.CopyFrom(Enumerable.Repeat((byte)n, 32).ToArray()), DateTimeOffset.UnixEpoch, new CommitRef(RepoRef.InDefault("_s3gateway_uploads"), null, "c1"));

    private static readonly StoredPart[] _stored = [Part(1, 5 * _mib), Part(2, 5 * _mib), Part(3, 10)];

    private static S3CompletedPart Want(int n, bool quoted = true)
    {
        var etag = _stored.FirstOrDefault(p => p.Number == n)?.ETag ?? "\"ffffffffffffffffffffffffffffffff-1\"";
        return new S3CompletedPart(n, quoted ? etag : etag.Trim('"'), []);
    }

    [Fact]
    public void Plan_AllPartsInOrder_ReturnsStoredParts()
    {
        var plan = CompletePlanner.Plan([Want(1), Want(2), Want(3)], _stored);
        Assert.Equal([1, 2, 3], plan.Select(p => p.Number));
    }

    [Fact]
    public void Plan_UnquotedETags_Accepted()
    {
        var plan = CompletePlanner.Plan([Want(1, quoted: false), Want(3, quoted: false)], _stored);
        Assert.Equal([1, 3], plan.Select(p => p.Number));
    }

    [Fact]
    public void Plan_SubsetOfParts_OnlyThose()
    {
        Assert.Equal([2], CompletePlanner.Plan([Want(2)], _stored).Select(p => p.Number));
    }

    public static TheoryData<int[], string> Failures => new()
    {
        { [2, 1], "InvalidPartOrder" },
        { [1, 1], "InvalidPartOrder" },
        { [1, 4], "InvalidPart" },
        { [3, 4], "InvalidPart" },
        { [3], "" },
        { [1, 3, 4], "InvalidPart" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Plan_BadRequests_S3Errors(int[] numbers, string code)
    {
        var requested = numbers.Select(n => Want(n)).ToList();
        if (code.Length == 0)
        {
            Assert.Single(CompletePlanner.Plan(requested, _stored));
            return;
        }

        var e = Assert.Throws<S3Exception>(() => CompletePlanner.Plan(requested, _stored));
        Assert.Equal(code, e.Error.Code);
    }

    [Fact]
    public void Plan_WrongETag_InvalidPart()
    {
        var e = Assert.Throws<S3Exception>(() => CompletePlanner.Plan([new S3CompletedPart(1, "\"0000-1\"", [])], _stored));
        Assert.Equal("InvalidPart", e.Error.Code);
    }

    [Fact]
    public void Plan_SmallNonLastPart_EntityTooSmall()
    {
        var small = Part(4, 1);
        var tail = Part(5, 1);
        var e = Assert.Throws<S3Exception>(() => CompletePlanner.Plan(
            [new S3CompletedPart(4, small.ETag, []), new S3CompletedPart(5, tail.ETag, [])], [small, tail]));
        Assert.Equal("EntityTooSmall", e.Error.Code);
    }

    [Fact]
    public void Plan_NamedChecksumDiffersFromStored_InvalidPart()
    {
        var stored = Part(1, 10) with { Checksum = new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAA==") };
        var ok = CompletePlanner.Plan([new S3CompletedPart(1, stored.ETag, [new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAA==")])], [stored]);
        Assert.Single(ok);
        var e = Assert.Throws<S3Exception>(() => CompletePlanner.Plan([new S3CompletedPart(1, stored.ETag, [new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAQ==")])], [stored]));
        Assert.Equal("InvalidPart", e.Error.Code);
    }

    [Fact]
    public void CompositeChecksum_AllPartsSameAlgorithm_DigestOfDigestsDashN()
    {
        var a = Part(1, 10) with { Checksum = new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAA==") };
        var b = Part(2, 10) with { Checksum = new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAQ==") };
        var stored = CompletePlanner.CompositeChecksum([a, b]);
        Assert.NotNull(stored);
        Assert.Equal(S3ChecksumType.Composite, stored.Type);
        var composite = stored.Checksum;
        Assert.Equal(S3ChecksumAlgorithm.Crc32, composite.Algorithm);
        Assert.Equal(S3ChecksumCombiner.Composite(S3ChecksumAlgorithm.Crc32, [a.Checksum!, b.Checksum!]), composite.Base64);
        Assert.EndsWith("-2", composite.Base64, StringComparison.Ordinal);
        Assert.Null(CompletePlanner.CompositeChecksum([a, Part(2, 10)]));
    }

    [Fact]
    public void Plan_SmallLastPart_Allowed()
    {
        Assert.Equal(2, CompletePlanner.Plan([Want(2), Want(3)], _stored).Count);
    }
}
