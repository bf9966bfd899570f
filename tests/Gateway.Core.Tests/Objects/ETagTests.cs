using Gateway.Core.Objects;
using Google.Protobuf;

namespace Gateway.Core.Tests.Objects;

public sealed class ETagTests
{
    [Fact]
    public void FromHash_32ByteHash_First16BytesHexWithDashOne()
    {
        var hash = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal("\"00070e151c232a31383f464d545b6269-1\"", ETag.FromHash(ByteString.CopyFrom(hash)));
    }

    [Fact]
    public void FromHash_SameContentHash_SameETag() =>
        Assert.Equal(ETag.FromHash(new byte[] { 1, 2, 3 }), ETag.FromHash(ByteString.CopyFrom(1, 2, 3)));

    [Fact]
    public void FromHash_NeverLooksLikeAnMd5()
    {
        var etag = ETag.FromHash(new byte[32]).Trim('"');
        Assert.Equal(34, etag.Length);
        Assert.EndsWith("-1", etag, StringComparison.Ordinal);
    }

    [Fact]
    public void FromHash_EmptyHash_Zeroes() => Assert.Equal("\"00000000000000000000000000000000-1\"", ETag.FromHash(ReadOnlySpan<byte>.Empty));
}
