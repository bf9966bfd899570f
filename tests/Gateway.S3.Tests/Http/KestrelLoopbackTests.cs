using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Auth;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.S3.Tests.Http;

/// <summary>
/// The protocol layer on a real Kestrel (loopback, ephemeral port), driven with raw HTTP/1.1 so that
/// the request target reaches the server byte for byte (HttpClient would normalise dot segments).
/// </summary>
public sealed class KestrelLoopbackTests : IAsyncLifetime
{
    private WebApplication? _app;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<S3ProtocolOptions>(_ => { });
        _app = builder.Build();
        var authenticator = new S3Authenticator(AccessKeyIsSecretResolver.Instance, new S3ProtocolOptions());
        _app.UseMiddleware<S3ProtocolMiddleware>();
        _app.Run(async ctx =>
        {
            var s3 = S3RequestContext.Get(ctx)!;
            var target = s3.Target!;
            var match = S3OperationClassifier.Classify(ctx.Request.Method, target, ctx.Request.Headers.ContainsKey(S3CopySource.HeaderName));
            S3OperationClassifier.ThrowIfUnserved(match, ctx.Request.Method, target);
            if (target.Key == "boom")
            {
                throw new InvalidOperationException("internal detail that must not leak");
            }

            if (target.Key == "missing")
            {
                throw new S3Exception(S3Errors.NoSuchKey) { Key = target.Key };
            }

            var auth = await authenticator.AuthenticateAsync(ctx, target, ctx.RequestAborted);
            if (match.Operation == S3Operation.PutObject)
            {
                await using var body = S3RequestBody.Open(ctx, auth);
                var buffer = new byte[16 * 1024];
                long total = 0;
                int n;
                while ((n = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                {
                    total += n;
                }

                foreach (var c in body.Checksums)
                {
                    ctx.Response.Headers[c.HeaderName] = c.Base64;
                }

                await ctx.Response.WriteAsync($"{total}");
                return;
            }

            await ctx.Response.WriteAsync($"{match.Operation}|{target.Bucket}|{target.Key}|{auth.Identity.IsAnonymous}");
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task<(int Status, string Headers, string Body)> SendAsync(string method, string target, string extraHeaders = "", byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _port);
        await using var stream = client.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: localhost:{_port}\r\nConnection: close\r\n{extraHeaders}";
        if (body is not null && !extraHeaders.Contains("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            head += $"Content-Length: {body.Length}\r\n";
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var raw = new MemoryStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(raw, cts.Token);
        var bytes = raw.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var headers = Encoding.ASCII.GetString(bytes, 0, split);
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var payload = bytes[(split + 4)..];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            payload = Dechunk(payload);
        }

        return (status, headers, Encoding.UTF8.GetString(payload));
    }

    private static byte[] Dechunk(byte[] s)
    {
        var output = new MemoryStream();
        var pos = 0;
        while (true)
        {
            var lineEnd = pos + s.AsSpan(pos).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(s, pos, lineEnd - pos), 16);
            if (size == 0)
            {
                return output.ToArray();
            }

            output.Write(s, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    }

    [Theory]
    [InlineData("/b/a%2Fb", "GetObject|b|a/b")]
    [InlineData("/b/a%252Fb", "GetObject|b|a%2Fb")]
    [InlineData("/b/./x/../y", "GetObject|b|./x/../y")]
    [InlineData("/b/%2e%2e/z", "GetObject|b|../z")]
    [InlineData("/b/a//b/", "GetObject|b|a//b/")]
    [InlineData("/b/a+b%20c", "GetObject|b|a+b c")]
    [InlineData("/b/%E2%9C%93", "GetObject|b|✓")]
    [InlineData("/b?list-type=2&prefix=a%2Fb", "ListObjectsV2|b|")]
    [InlineData("/", "ListBuckets||")]
    public async Task RawTarget_ReachesLibraryUndecoded(string target, string expected)
    {
        var (status, headers, body) = await SendAsync("GET", target);

        Assert.Equal(200, status);
        Assert.Equal(expected + "|True", body);
        Assert.Contains("x-amz-request-id: ", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-amz-id-2: ", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Server: PachydermS3Gateway", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task S3Exception_BecomesErrorXmlOnTheWire()
    {
        var (status, headers, body) = await SendAsync("GET", "/bucket/missing");

        Assert.Equal(404, status);
        Assert.Contains("Content-Type: application/xml", headers, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<Key>missing</Key><Resource>/bucket/missing</Resource><RequestId>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadError_NoBody()
    {
        var (status, _, body) = await SendAsync("HEAD", "/bucket/missing");

        Assert.Equal(404, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task UnexpectedException_GenericInternalError()
    {
        var (status, _, body) = await SendAsync("GET", "/bucket/boom");

        Assert.Equal(500, status);
        Assert.Contains("<Code>InternalError</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("internal detail", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/b?acl", 501, "NotImplemented")]
    [InlineData("PATCH", "/b/k", 405, "MethodNotAllowed")]
    public async Task UnservedRequests_S3Errors(string method, string target, int status, string code)
    {
        var (s, _, body) = await SendAsync(method, target);

        Assert.Equal(status, s);
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        if (status == 405)
        {
            Assert.Contains($"<Method>{method}</Method><ResourceType>OBJECT</ResourceType>", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Put_WithGoodDigests_ReadsBodyAndEchoesChecksum()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32C, data);
        var headers = $"Content-MD5: {Convert.ToBase64String(MD5.HashData(data))}\r\nx-amz-checksum-crc32c: {crc.Base64}\r\n" +
                      $"x-amz-content-sha256: {Convert.ToHexStringLower(SHA256.HashData(data))}\r\n";

        var (status, responseHeaders, body) = await SendAsync("PUT", "/b/obj", headers, data);

        Assert.Equal(200, status);
        Assert.Equal("200000", body);
        Assert.Contains($"x-amz-checksum-crc32c: {crc.Base64}", responseHeaders, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Put_WithBadMd5_BadDigest()
    {
        var data = RandomNumberGenerator.GetBytes(50_000);
        var headers = $"Content-MD5: {Convert.ToBase64String(MD5.HashData([1, 2]))}\r\n";

        var (status, _, body) = await SendAsync("PUT", "/b/obj", headers, data);

        Assert.Equal(400, status);
        Assert.Contains("<Code>BadDigest</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_Boto3UnsignedTrailerWithChunkedTransfer_Decoded()
    {
        var data = RandomNumberGenerator.GetBytes(100_000);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, data);
        var framed = new MemoryStream();
        for (var pos = 0; pos < data.Length; pos += 65536)
        {
            var n = Math.Min(65536, data.Length - pos);
            framed.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            framed.Write(data, pos, n);
            framed.Write("\r\n"u8);
        }

        framed.Write(Encoding.ASCII.GetBytes($"0\r\nx-amz-checksum-crc32:{crc.Base64}\r\n\r\n"));
        var aws = framed.ToArray();

        // HTTP/1.1 chunked transfer framing around the aws-chunked body, as botocore sends over TLS.
        var http = new MemoryStream();
        http.Write(Encoding.ASCII.GetBytes($"{aws.Length:x}\r\n"));
        http.Write(aws);
        http.Write("\r\n0\r\n\r\n"u8);
        var headers = "Transfer-Encoding: chunked\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n" +
                      $"x-amz-trailer: x-amz-checksum-crc32\r\nx-amz-decoded-content-length: {data.Length}\r\n";

        var (status, responseHeaders, body) = await SendAsync("PUT", "/b/obj", headers, http.ToArray());

        Assert.Equal(200, status);
        Assert.Equal("100000", body);
        Assert.Contains($"x-amz-checksum-crc32: {crc.Base64}", responseHeaders, StringComparison.OrdinalIgnoreCase);
    }
}
