using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Gateway.Integration.Tests.Support;
using Gateway.S3.Checksums;

namespace Gateway.Integration.Tests.Http;

/// <summary>
/// The production pipeline on the real standalone host, driven with raw HTTP/1.1 so that the request target and the
/// body framing reach Kestrel byte for byte (HttpClient would normalise dot segments and frame bodies itself).
/// </summary>
[Collection(AuthOffCollection.Name)]
public sealed class KestrelWireTests(AuthOffFixture fx) : IAsyncLifetime
{
    private readonly string _bucket = GatewayFixture.NewName("wire");

    public async Task InitializeAsync() => Assert.Equal(200, (await SendAsync("PUT", "/" + _bucket)).Status);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%252Fb", "a%2Fb")]
    [InlineData("./x/../y", "./x/../y")]
    [InlineData("%2e%2e/z", "../z")]
    [InlineData("a//b/", "a//b/")]
    [InlineData("a+b%20c", "a+b c")]
    [InlineData("%E2%9C%93", "✓")]
    public async Task RawTarget_KeyDecodedOnceFromTheRawTarget(string rawKey, string key)
    {
        var (status, headers, body) = await SendAsync("GET", $"/{_bucket}/{rawKey}");

        Assert.Equal(404, status);
        Assert.Contains("<Code>NoSuchKey</Code>", body, StringComparison.Ordinal);
        Assert.Contains($"<Key>{key}</Key>", body, StringComparison.Ordinal);
        Assert.Contains("x-amz-request-id: ", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-amz-id-2: ", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Server: PachydermS3Gateway", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task S3Error_ErrorXmlOnTheWire()
    {
        var (status, headers, body) = await SendAsync("GET", $"/{_bucket}/missing");

        Assert.Equal(404, status);
        Assert.Contains("Content-Type: application/xml", headers, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>", body, StringComparison.Ordinal);
        Assert.Contains($"<Key>missing</Key><Resource>/{_bucket}/missing</Resource><RequestId>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadError_NoBody()
    {
        var (status, _, body) = await SendAsync("HEAD", $"/{_bucket}/missing");

        Assert.Equal(404, status);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData("GET", "?acl", 501, "NotImplemented")]
    [InlineData("PATCH", "/k", 405, "MethodNotAllowed")]
    public async Task UnservedRequests_S3Errors(string method, string suffix, int status, string code)
    {
        var (s, _, body) = await SendAsync(method, $"/{_bucket}{suffix}");

        Assert.Equal(status, s);
        Assert.Contains($"<Code>{code}</Code>", body, StringComparison.Ordinal);
        if (status == 405)
        {
            Assert.Contains($"<Method>{method}</Method><ResourceType>OBJECT</ResourceType>", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Put_WithGoodDigests_StoredAndChecksumEchoed()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32C, data);
        var headers = $"Content-MD5: {Convert.ToBase64String(MD5.HashData(data))}\r\nx-amz-checksum-crc32c: {crc.Base64}\r\n" +
                      $"x-amz-content-sha256: {Convert.ToHexStringLower(SHA256.HashData(data))}\r\n";

        var (status, responseHeaders, _) = await SendAsync("PUT", $"/{_bucket}/obj", headers, data);

        Assert.Equal(200, status);
        Assert.Contains($"x-amz-checksum-crc32c: {crc.Base64}", responseHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(data, await ReadBackAsync("obj"));
    }

    [Fact]
    public async Task Put_WithBadMd5_BadDigestAndNothingStored()
    {
        var data = RandomNumberGenerator.GetBytes(50_000);
        var headers = $"Content-MD5: {Convert.ToBase64String(MD5.HashData([1, 2]))}\r\n";

        var (status, _, body) = await SendAsync("PUT", $"/{_bucket}/bad-md5", headers, data);

        Assert.Equal(400, status);
        Assert.Contains("<Code>BadDigest</Code>", body, StringComparison.Ordinal);
        Assert.Equal(404, (await SendAsync("HEAD", $"/{_bucket}/bad-md5")).Status);
    }

    [Fact]
    public async Task Put_Boto3UnsignedTrailerInsideChunkedTransfer_DecodedAndStored()
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

        var (status, responseHeaders, _) = await SendAsync("PUT", $"/{_bucket}/chunked", headers, http.ToArray());

        Assert.Equal(200, status);
        Assert.Contains($"x-amz-checksum-crc32: {crc.Base64}", responseHeaders, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(data, await ReadBackAsync("chunked"));
    }

    private async Task<byte[]> ReadBackAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        return await http.GetByteArrayAsync($"/{_bucket}/{key}");
    }

    private async Task<(int Status, string Headers, string Body)> SendAsync(string method, string target, string extraHeaders = "", byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, fx.BaseUri.Port);
        await using var stream = client.GetStream();
        var head = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{fx.BaseUri.Port}\r\nConnection: close\r\n{extraHeaders}";
        if (!extraHeaders.Contains("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            head += $"Content-Length: {body?.Length ?? 0}\r\n";
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
}
