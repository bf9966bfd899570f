using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Integration.Tests.Functions;

/// <summary>
/// What the Functions host (as emulated) itself answers in front of the gateway: requests no function's route
/// matches, and its request body limit (100 MiB unless FUNCTIONS_REQUEST_BODY_SIZE_LIMIT says otherwise).
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FunctionsHostBehaviourTests(FunctionsHostAuthOffFixture fx)
{
    /// <summary>Every method at the root and the methods S3 has no use for reach the gateway, which answers an S3 error.</summary>
    [Theory]
    [InlineData("PATCH", "/bucket", 405)]
    [InlineData("PATCH", "/bucket/key", 405)]
    [InlineData("OPTIONS", "/bucket/key", 405)]
    [InlineData("POST", "/", 405)]
    [InlineData("PUT", "/", 405)]
    [InlineData("DELETE", "/", 405)]
    public async Task UnservedMethods_S3Error(string method, string path, int status)
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
        Assert.StartsWith("application/xml", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("<Error><Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A method no function declares still gets the host's bare 404: nothing the gateway can change.</summary>
    [Fact]
    public async Task MethodNoFunctionDeclares_HostAnswers404EmptyBody()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/bucket/key"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.False(response.Headers.Contains("x-amz-request-id"));
    }

    [Fact]
    public async Task RoutedRequest_ReachesTheGateway()
    {
        using var s3 = fx.Aws();
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8] }));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("NoSuchBucket", e.ErrorCode);
        Assert.False(string.IsNullOrEmpty(e.RequestId));
    }

    [Fact]
    public async Task BodyOverHostLimit_HostFailsTheInvocation_500()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        using var s3 = fx.Aws();
        var bucket = GatewayNames.Bucket("fhlimit");
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

        // One byte over 100 MiB: Kestrel refuses the body, the forwarding fails, the host's exception middleware
        // turns the failed invocation into a 500 with an empty body.
        using var content = new StreamContent(new ZeroStream(104857600 + 1));
        content.Headers.ContentLength = 104857600 + 1;
        HttpResponseMessage? response = null;
        try
        {
            response = await http.PutAsync($"/{bucket}/too-big", content);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The host may also close the connection while the client still sends.
        }
        finally
        {
            response?.Dispose();
        }

        using var fits = new MemoryStream(new byte[1024 * 1024]);
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "fits", InputStream = fits });
        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
    }

    /// <summary>A read-only stream of zeros of a given length.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
