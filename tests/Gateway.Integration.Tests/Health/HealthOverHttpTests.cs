using System.Net;
using System.Xml.Linq;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Health;

/// <summary>
/// The health paths as a client (a kubelet) sees them, with pachd auth on. Standalone: answered without credentials
/// and before S3, with a bare plain-text body. Functions mode: the Functions host has its own health, and the S3
/// functions do not answer these paths; there <c>/~/ready</c> is an S3 request (for the impossible bucket <c>~</c>),
/// authenticated and refused like any other.
/// </summary>
[Collection(AuthOnCollection.Name)]
[Trait("Host", "Any")]
public sealed class HealthOverHttpTests(AuthOnFixture fx)
{
    [Theory]
    [InlineData("/~/live")]
    [InlineData("/~/ready")]
    public async Task Get_HealthPath_UnsignedWithAuthOn(string path)
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };

        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        if (GatewayFixture.BehindFunctionsHost)
        {
            // An S3 request like any other: unsigned with auth on, refused before the bucket "~" is even looked at.
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("AccessDenied", XDocument.Parse(body).Root?.Element("Code")?.Value);
            Assert.True(response.Headers.Contains("x-amz-request-id"), "not answered by the S3 functions");
            return;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "health answers must not be cached");
        Assert.False(response.Headers.Contains("x-amz-request-id"), "a health answer went through the S3 pipeline");
        Assert.False(response.Headers.Contains("Server"), "the health answer names the server");
    }

    [Fact]
    public async Task Get_Root_StillS3AndStillNeedsCredentials()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };

        using var response = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }
}
