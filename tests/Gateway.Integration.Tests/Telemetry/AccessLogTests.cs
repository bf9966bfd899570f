using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Telemetry;

/// <summary>
/// The access log of a real standalone process with pachd auth on and JSON logs (as infra/kubernetes runs it): one
/// line per request, found by the request id the client got, with its operation, status, byte counts and the key's
/// length; and nowhere in the process's whole output the token, a signature, a credential scope or the key itself.
/// </summary>
[Trait("Host", "Standalone")]
public sealed class AccessLogTests
{
    private const string _key = "reports/2026/quarterly-figures.csv";

    [Fact]
    public async Task EveryRequest_OneJsonLine_WithoutTokensSignaturesOrKeys()
    {
        var token = "it-access-log-root-" + Guid.NewGuid().ToString("N");
        await using var gateway = await StandaloneProcess.StartAsync(("GATEWAY_LOCALPACHD_ROOT_TOKEN", token), ("GATEWAY_LOG_FORMAT", "json"));
        using var s3 = GatewayFixture.AwsClient(gateway.BaseUri, token, token, whenRequired: false);
        var bucket = "master." + GatewayFixture.NewName("alog");
        var expected = new List<(string RequestId, string Operation, int Status)>();

        expected.Add((Id(await s3.PutBucketAsync(bucket)), "CreateBucket", 200));
        var body = new string('x', 1000);
        expected.Add((Id(await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = _key, ContentBody = body })), "PutObject", 200));
        using (var get = await s3.GetObjectAsync(bucket, _key))
        {
            await get.ResponseStream.CopyToAsync(Stream.Null);
            expected.Add((get.ResponseMetadata.RequestId, "GetObject", 200));
        }

        var presigned = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = _key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();
        using (var response = await http.GetAsync(presigned))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            expected.Add((response.Headers.GetValues("x-amz-request-id").Single(), "GetObject", 200));
        }

        using var forged = GatewayFixture.AwsClient(gateway.BaseUri, token, token + "-wrong", whenRequired: false);
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => forged.GetObjectAsync(bucket, _key));
        Assert.Equal("SignatureDoesNotMatch", refused.ErrorCode);
        expected.Add((refused.RequestId, "GetObject", 403));

        var lines = await AccessLinesAsync(gateway, expected.Select(e => e.RequestId).ToHashSet());
        foreach (var (requestId, operation, status) in expected)
        {
            var line = Assert.Single(lines, l => l.GetProperty("RequestId").GetString() == requestId);
            Assert.Equal(operation, line.GetProperty("Operation").GetString());
            Assert.Equal(status, line.GetProperty("Status").GetInt32());
            Assert.Equal(bucket, line.GetProperty("Bucket").GetString());
        }

        var put = lines.Single(l => l.GetProperty("RequestId").GetString() == expected[1].RequestId);
        Assert.Equal(_key.Length, put.GetProperty("KeyLength").GetInt32());
        Assert.True(put.GetProperty("BytesIn").GetInt64() >= body.Length, "PutObject counted fewer bytes than it received");
        var read = lines.Single(l => l.GetProperty("RequestId").GetString() == expected[3].RequestId);
        Assert.Equal(body.Length, read.GetProperty("BytesOut").GetInt64());
        Assert.Equal("SignatureDoesNotMatch", lines.Single(l => l.GetProperty("RequestId").GetString() == refused.RequestId).GetProperty("ErrorCode").GetString());

        var output = gateway.Output;
        var signature = System.Web.HttpUtility.ParseQueryString(new Uri(presigned).Query)["X-Amz-Signature"];
        Assert.False(string.IsNullOrEmpty(signature));
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(signature, output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Amz-Credential", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Signature=", output, StringComparison.Ordinal);
        Assert.DoesNotContain("quarterly-figures", output, StringComparison.Ordinal);
    }

    private static string Id(AmazonWebServiceResponse response) => response.ResponseMetadata.RequestId;

    /// <summary>The access lines of the process once all of <paramref name="requestIds"/> are logged (the console logger writes in the background).</summary>
    private static async Task<List<JsonElement>> AccessLinesAsync(StandaloneProcess gateway, HashSet<string> requestIds)
    {
        for (var attempt = 0; ; attempt++)
        {
            var lines = new List<JsonElement>();
            foreach (var text in gateway.Output.Split('\n'))
            {
                if (text.Contains("\"Category\":\"Gateway.Access\"", StringComparison.Ordinal))
                {
                    lines.Add(JsonDocument.Parse(text).RootElement.GetProperty("State").Clone());
                }
            }

            if (requestIds.IsSubsetOf(lines.Select(l => l.GetProperty("RequestId").GetString()!)) || attempt == 50)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }
}
