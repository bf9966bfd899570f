using Gateway.Core.Uploads;

namespace Gateway.Core.Tests.Uploads;

public sealed class ListMultipartUploadsMarkerTests
{
    [Theory]
    [InlineData("b", "u2", "", "", true)]
    [InlineData("b", "u2", "a", "", true)]
    [InlineData("b", "u2", "b", "", false)]
    [InlineData("b", "u2", "b", "u1", true)]
    [InlineData("b", "u2", "b", "u2", false)]
    [InlineData("b", "u2", "b", "u3", false)]
    [InlineData("b", "u2", "c", "u1", false)]
    public void AfterMarker_S3Rule(string key, string uploadId, string keyMarker, string uploadIdMarker, bool expected) =>
        Assert.Equal(expected, ListMultipartUploadsOperation.AfterMarker(key, uploadId, keyMarker, uploadIdMarker));
}
