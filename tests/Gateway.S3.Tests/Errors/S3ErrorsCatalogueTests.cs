using Gateway.S3.Errors;

namespace Gateway.S3.Tests.Errors;

public sealed class S3ErrorsCatalogueTests
{
    [Theory]
    [InlineData("BadRequest", 400, "An error occurred when parsing the HTTP request.")]
    [InlineData("InvalidTag", 400, "The tag provided was not a valid tag.")]
    [InlineData("InvalidPartNumber", 416, "The requested partnumber is not satisfiable")]
    [InlineData("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size.")]
    [InlineData("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.")]
    public void Entries(string code, int status, string message)
    {
        var error = S3Errors.ByCode[code];

        Assert.Equal((code, status, message), (error.Code, error.StatusCode, error.DefaultMessage));
    }

    [Fact]
    public void InvalidPartNumber_RequestedThenActualCount()
    {
        var ex = S3Exception.InvalidPartNumber(5, 3);

        Assert.Same(S3Errors.InvalidPartNumber, ex.Error);
        Assert.Equal(416, ex.Error.StatusCode);
        Assert.Equal("The requested partnumber is not satisfiable", ex.Message);
        Assert.Equal([new("PartNumberRequested", "5"), new("ActualPartCount", "3")], ex.Details);
    }
}
