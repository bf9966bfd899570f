using System.Diagnostics;
using System.Net;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// Query-string auth: AWSSDK presigned SigV4 URLs and hand-made SigV2 URLs, used with a plain HttpClient over
/// http and https, until they expire.
/// </summary>
[Collection(TlsCollection.Name)]
public sealed class PresignedUrlTests(TlsGatewayFixture fx)
{
    private static async Task<string> NewBucketAsync(AmazonS3Client s3)
    {
        var repo = "presign-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = repo });
        return "master." + repo;
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        var doc = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return $"{doc.Root?.Element("Code")?.Value}: {doc.Root?.Element("Message")?.Value}";
    }

    /// <summary>Polls <paramref name="url"/> with GET until it stops working (expired) or the timeout passes.</summary>
    private static async Task<HttpResponseMessage> GetUntilRefusedAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await http.GetAsync(url);
            if (!response.IsSuccessStatusCode || clock.Elapsed > timeout)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(200);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SigV4Presigned_PutThenGet_WorksWithPlainHttpClient(bool tls)
    {
        using var s3 = fx.Aws(tls);
        var bucket = await NewBucketAsync(s3);
        var data = new byte[123_457];
        new Random(3).NextBytes(data);
        var putUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "dir/pre signed.bin",
            Verb = HttpVerb.PUT,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Protocol = tls ? Protocol.HTTPS : Protocol.HTTP,
        });
        Assert.Contains("X-Amz-Signature=", putUrl, StringComparison.Ordinal);
        Assert.StartsWith(tls ? "https://" : "http://", putUrl, StringComparison.Ordinal);

        using var http = fx.Http(tls);
        using (var put = await http.PutAsync(new Uri(putUrl), new ByteArrayContent(data)))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var getUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "dir/pre signed.bin",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(10),
            Protocol = tls ? Protocol.HTTPS : Protocol.HTTP,
        });
        Assert.Equal(data, await http.GetByteArrayAsync(new Uri(getUrl)));

        // A presigned URL signs the method: the GET URL does not allow a PUT.
        using var wrongMethod = await http.PutAsync(new Uri(getUrl), new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.Forbidden, wrongMethod.StatusCode);
        Assert.StartsWith("SignatureDoesNotMatch", await ErrorAsync(wrongMethod), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SigV4Presigned_OneSecond_ExpiresWithAccessDenied(bool tls)
    {
        using var s3 = fx.Aws(tls);
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "short", ContentBody = "short-lived" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "short",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddSeconds(1.3), // the SDK rounds the remaining seconds: 1 unless this thread stalls
            Protocol = tls ? Protocol.HTTPS : Protocol.HTTP,
        });
        Assert.Contains("X-Amz-Expires=1&", url, StringComparison.Ordinal);

        using var http = fx.Http(tls);
        using var expired = await GetUntilRefusedAsync(http, new Uri(url), TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("AccessDenied: Request has expired", await ErrorAsync(expired));
    }

    [Fact]
    public async Task SigV4Presigned_ExpiresBeyondSevenDays_Refused()
    {
        using var s3 = fx.Aws(tls: false);
        var bucket = await NewBucketAsync(s3);
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "k", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddDays(7), Protocol = Protocol.HTTP });
        var tooLong = url.Replace("X-Amz-Expires=604800", "X-Amz-Expires=604801", StringComparison.Ordinal);
        Assert.NotEqual(url, tooLong);

        using var http = fx.Http(tls: false);
        using var response = await http.GetAsync(new Uri(tooLong));
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("AuthorizationQueryParametersError", await ErrorAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SigV2Presigned_GetThenExpire(bool tls)
    {
        using var s3 = fx.Aws(tls);
        var bucket = await NewBucketAsync(s3);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "v2/obj", ContentBody = "signed the old way" });
        var raw = new RawS3Request(fx.Endpoint(tls), "v2-key", "v2-key");
        using var http = fx.Http(tls);

        Assert.Equal("signed the old way", await http.GetStringAsync(raw.SigV2Presigned("GET", $"/{bucket}/v2/obj", DateTimeOffset.UtcNow.AddMinutes(5))));

        using var tampered = await http.GetAsync(raw.SigV2Presigned("GET", $"/{bucket}/v2/other", DateTimeOffset.UtcNow.AddMinutes(5)).ToString().Replace("/v2/other", "/v2/obj", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.StartsWith("SignatureDoesNotMatch", await ErrorAsync(tampered), StringComparison.Ordinal);

        using var expired = await GetUntilRefusedAsync(http, raw.SigV2Presigned("GET", $"/{bucket}/v2/obj", DateTimeOffset.UtcNow.AddSeconds(1)), TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("AccessDenied: Request has expired", await ErrorAsync(expired));
    }
}
