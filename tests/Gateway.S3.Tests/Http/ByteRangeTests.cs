using Gateway.S3.Errors;
using Gateway.S3.Http;

namespace Gateway.S3.Tests.Http;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=10-", 100, 10, 90)]
    [InlineData("bytes=-10", 100, 90, 10)]
    [InlineData("bytes=-1000", 100, 0, 100)]
    [InlineData("bytes=90-1000", 100, 90, 10)]
    [InlineData("bytes=99-99", 100, 99, 1)]
    [InlineData("BYTES=0-0", 1, 0, 1)]
    [InlineData(" bytes= 5 - 6 ", 10, 5, 2)]
    public void Parse_Satisfiable(string header, long length, long start, long count)
    {
        var r = ByteRange.Parse(header, length);

        Assert.NotNull(r);
        Assert.Equal(start, r!.Value.Start);
        Assert.Equal(count, r.Value.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-1")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=-")]
    [InlineData("bytes=1-x")]
    public void Parse_IgnoredServeWholeObject(string? header)
    {
        Assert.Null(ByteRange.Parse(header, 100));
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=100-200", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=0-", 0)]
    [InlineData("bytes=-5", 0)]
    public void Parse_Unsatisfiable_InvalidRange416(string header, long length)
    {
        var ex = Assert.Throws<S3Exception>(() => ByteRange.Parse(header, length));

        Assert.Equal(416, ex.Error.StatusCode);
        Assert.Contains(ex.Details, d => d.Key == "ActualObjectSize");
        Assert.Equal("bytes */" + length, ex.Headers!["Content-Range"]);
    }

    [Fact]
    public void ContentRange_Format() => Assert.Equal("bytes 0-9/100", new ByteRange(0, 10, 100).ContentRange);

    [Theory]
    [InlineData("bytes=0-9", 100, true)]
    [InlineData("bytes=0-100", 100, false)]
    public void ParseCopySourceRange_Bounds(string header, long length, bool ok)
    {
        if (ok)
        {
            Assert.Equal(10, ByteRange.ParseCopySourceRange(header, length).Length);
        }
        else
        {
            Assert.Same(S3Errors.InvalidRange, Assert.Throws<S3Exception>(() => ByteRange.ParseCopySourceRange(header, length)).Error);
        }
    }

    [Theory]
    [InlineData("bytes=5-")]
    [InlineData("bytes=-5")]
    [InlineData("0-5")]
    [InlineData("bytes=6-5")]
    public void ParseCopySourceRange_BadSyntax_InvalidArgument(string header)
    {
        Assert.Same(S3Errors.InvalidArgument, Assert.Throws<S3Exception>(() => ByteRange.ParseCopySourceRange(header, 100)).Error);
    }
}
