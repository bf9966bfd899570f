using Gateway.S3.Errors;
using Gateway.S3.Http;

namespace Gateway.S3.Tests.Http;

public sealed class S3ListParametersMaxBucketsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("1", 1)]
    [InlineData("500", 500)]
    [InlineData("10000", 10000)]
    [InlineData(" 7 ", 7)]
    public void ParseMaxBuckets_Valid(string? value, int? expected)
    {
        Assert.Equal(expected, S3ListParameters.ParseMaxBuckets(value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("10001")]
    [InlineData("2000000")]
    [InlineData("2147483647")]
    public void ParseMaxBuckets_OutOfRange_InvalidArgument(string value)
    {
        var ex = Assert.Throws<S3Exception>(() => S3ListParameters.ParseMaxBuckets(value));

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
        Assert.Equal("Argument max-buckets must be an integer between 1 and 10000.", ex.Message);
        Assert.Equal([new("ArgumentName", "max-buckets"), new("ArgumentValue", value)], ex.Details);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("2147483648")]
    [InlineData("99999999999")]
    public void ParseMaxBuckets_NotAnInteger_InvalidArgument(string value)
    {
        var ex = Assert.Throws<S3Exception>(() => S3ListParameters.ParseMaxBuckets(value));

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
        Assert.Equal("Provided max-buckets not an integer or within integer range", ex.Message);
        Assert.Equal([new("ArgumentName", "max-buckets"), new("ArgumentValue", value)], ex.Details);
    }
}
