using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Http;

public sealed class S3ConditionsTests
{
    internal const string ETag = "\"abc\"";
    internal static readonly DateTimeOffset Modified = new(2024, 1, 10, 12, 0, 0, 500, TimeSpan.Zero);
    internal const string Before = "Tue, 09 Jan 2024 12:00:00 GMT";
    internal const string Same = "Wed, 10 Jan 2024 12:00:00 GMT";
    internal const string After = "Thu, 11 Jan 2024 12:00:00 GMT";

    [Theory]
    // no conditions
    [InlineData(null, null, null, null, null)]
    // If-Match
    [InlineData("\"abc\"", null, null, null, null)]
    [InlineData("abc", null, null, null, null)]
    [InlineData("*", null, null, null, null)]
    [InlineData("\"x\", \"abc\"", null, null, null, null)]
    [InlineData("\"x\"", null, null, null, "PreconditionFailed")]
    // If-Unmodified-Since
    [InlineData(null, null, null, After, null)]
    [InlineData(null, null, null, Same, null)]
    [InlineData(null, null, null, Before, "PreconditionFailed")]
    // If-Match true wins over If-Unmodified-Since false
    [InlineData("\"abc\"", null, null, Before, null)]
    // If-None-Match
    [InlineData(null, "\"abc\"", null, null, "NotModified")]
    [InlineData(null, "*", null, null, "NotModified")]
    [InlineData(null, "\"x\"", null, null, null)]
    // If-Modified-Since
    [InlineData(null, null, Before, null, null)]
    [InlineData(null, null, Same, null, "NotModified")]
    [InlineData(null, null, After, null, "NotModified")]
    // If-None-Match false wins over If-Modified-Since true... and 304 when If-None-Match matches even if modified
    [InlineData(null, "\"x\"", After, null, null)]
    [InlineData(null, "\"abc\"", Before, null, "NotModified")]
    // If-Match failing beats If-None-Match
    [InlineData("\"x\"", "\"abc\"", null, null, "PreconditionFailed")]
    // unparsable dates are ignored
    [InlineData(null, null, "garbage", "garbage", null)]
    public void Evaluate_Read_Table(string? ifMatch, string? ifNoneMatch, string? ifModifiedSince, string? ifUnmodifiedSince, string? expected)
    {
        IHeaderDictionary h = new HeaderDictionary();
        if (ifMatch is not null) h.IfMatch = ifMatch;
        if (ifNoneMatch is not null) h.IfNoneMatch = ifNoneMatch;
        if (ifModifiedSince is not null) h.IfModifiedSince = ifModifiedSince;
        if (ifUnmodifiedSince is not null) h.IfUnmodifiedSince = ifUnmodifiedSince;

        var ex = Record.Exception(() => S3Conditions.Evaluate(h, ETag, Modified));

        if (expected is null)
        {
            Assert.Null(ex);
        }
        else
        {
            Assert.Equal(expected, Assert.IsType<S3Exception>(ex).Error.Code);
        }
    }

    [Fact]
    public void Evaluate_NotModified_CarriesETagAndLastModified()
    {
        IHeaderDictionary h = new HeaderDictionary { ["If-None-Match"] = ETag };

        var ex = Assert.Throws<S3Exception>(() => S3Conditions.Evaluate(h, "abc", Modified));

        Assert.Equal(304, ex.Error.StatusCode);
        Assert.Equal(ETag, ex.Headers!["ETag"]);
        Assert.Equal(Same, ex.Headers["Last-Modified"]);
    }

    [Fact]
    public void Evaluate_NonRead_IfNoneMatchGives412()
    {
        IHeaderDictionary h = new HeaderDictionary { ["If-None-Match"] = ETag };

        Assert.Same(S3Errors.PreconditionFailed, Assert.Throws<S3Exception>(() => S3Conditions.Evaluate(h, ETag, Modified, isRead: false)).Error);
    }

    [Theory]
    [InlineData("x-amz-copy-source-if-match", "\"x\"")]
    [InlineData("x-amz-copy-source-if-none-match", "\"abc\"")]
    [InlineData("x-amz-copy-source-if-modified-since", After)]
    [InlineData("x-amz-copy-source-if-unmodified-since", Before)]
    public void EvaluateCopySource_Failures_412(string header, string value)
    {
        var h = new HeaderDictionary { [header] = value };

        Assert.Same(S3Errors.PreconditionFailed, Assert.Throws<S3Exception>(() => S3Conditions.EvaluateCopySource(h, ETag, Modified)).Error);
    }

    [Fact]
    public void EvaluateCopySource_Passing_Proceeds()
    {
        var h = new HeaderDictionary { ["x-amz-copy-source-if-match"] = ETag, ["x-amz-copy-source-if-modified-since"] = Before };

        S3Conditions.EvaluateCopySource(h, ETag, Modified);
    }

    [Theory]
    [InlineData("If-None-Match", "*", true, "abc", "PreconditionFailed")]
    [InlineData("If-None-Match", "*", false, null, null)]
    [InlineData("If-Match", "\"abc\"", true, "abc", null)]
    [InlineData("If-Match", "\"abc\"", true, "def", "PreconditionFailed")]
    [InlineData("If-Match", "\"abc\"", false, null, "NoSuchKey")]
    public void EvaluateWrite_Table(string header, string value, bool exists, string? current, string? expected)
    {
        var h = new HeaderDictionary { [header] = value };

        var ex = Record.Exception(() => S3Conditions.EvaluateWrite(h, exists, current));

        Assert.Equal(expected, (ex as S3Exception)?.Error.Code);
    }
}
