using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Http;

/// <summary>
/// Request validation on the real standalone host (Kestrel's own body limit included), over a socket so the request
/// line and Content-Length reach it exactly as written.
/// </summary>
[Collection(AuthOffCollection.Name)]
public sealed class RequestValidationRawHttpTests(AuthOffFixture fx)
{
    [Theory]
    [InlineData("DELETE", "?lifecycle")]
    [InlineData("DELETE", "?anything")]
    [InlineData("DELETE", "?versioning")]
    [InlineData("PUT", "?uploads")]
    public async Task BucketRequest_WithASubresourceItDoesNotTake_NotImplementedAndTheBucketStays(string method, string query)
    {
        var bucket = await NewBucketAsync();

        var (status, _, body) = await SendAsync(method, $"/{bucket}{query}");

        Assert.Equal(501, status);
        Assert.Equal("NotImplemented", StrictXml(body).Element("Code")!.Value);
        Assert.Equal(200, (await SendAsync("HEAD", $"/{bucket}")).Status);
    }

    /// <summary>Kestrel refuses a Content-Length over the XML limit before a byte is read; that is S3's error too.</summary>
    [Fact]
    public async Task CompleteMultipartUpload_ContentLengthOverTheXmlLimit_MaxMessageLengthExceeded()
    {
        var bucket = await NewBucketAsync();
        var (_, _, created) = await SendAsync("POST", $"/{bucket}/k?uploads");
        var uploadId = StrictXml(created).Elements().Single(e => e.Name.LocalName == "UploadId").Value;

        var (status, headers, body) = await SendAsync("POST", $"/{bucket}/k?uploadId={uploadId}", contentLength: (8 * 1024 * 1024) + 1);

        Assert.Equal(400, status);
        var error = StrictXml(body);
        Assert.Equal("MaxMessageLengthExceeded", error.Element("Code")!.Value);
        Assert.Contains($"x-amz-request-id: {error.Element("RequestId")!.Value}", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreateBucket_MalformedConfiguration_MalformedXmlAndNoBucket()
    {
        var bucket = GatewayFixture.NewName("cfg");

        var (status, _, body) = await SendAsync("PUT", $"/{bucket}", "<CreateBucketConfiguration><LocationConstraint>");

        Assert.Equal(400, status);
        Assert.Equal("MalformedXML", StrictXml(body).Element("Code")!.Value);
        Assert.Equal(404, (await SendAsync("HEAD", $"/{bucket}")).Status);
    }

    [Theory]
    [InlineData("/{0}/a%01b", 404, "NoSuchKey")]
    [InlineData("/{0}/k%EF%BF%BF?versionId=%02", 400, "InvalidArgument")]
    public async Task Request_WithCharactersXmlCannotCarry_WellFormedErrorWithRequestId(string target, int expectedStatus, string code)
    {
        var bucket = await NewBucketAsync();

        var (status, headers, body) = await SendAsync("GET", string.Format(CultureInfo.InvariantCulture, target, bucket));

        Assert.Equal(expectedStatus, status);
        var error = StrictXml(body);
        Assert.Equal(code, error.Element("Code")!.Value);
        Assert.Contains($"x-amz-request-id: {error.Element("RequestId")!.Value}", headers, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("response-content-type=text%2F%01plain")]
    [InlineData("response-content-disposition=attachment%0D%0AX-Injected%3A%201")]
    [InlineData("response-cache-control=%7F")]
    public async Task GetObject_ResponseOverrideWithAControlCharacter_InvalidArgumentNamingIt(string query)
    {
        var bucket = await NewBucketAsync();
        Assert.Equal(200, (await SendAsync("PUT", $"/{bucket}/k", "body")).Status);

        var (status, headers, body) = await SendAsync("GET", $"/{bucket}/k?{query}");

        Assert.Equal(400, status);
        var error = StrictXml(body);
        Assert.Equal("InvalidArgument", error.Element("Code")!.Value);
        Assert.Equal(query.Split('=')[0], error.Element("ArgumentName")!.Value);
        Assert.DoesNotContain("X-Injected", headers, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A header carries US-ASCII: a non-ASCII override goes out as an RFC 2047 encoded word, as stored metadata does.</summary>
    [Fact]
    public async Task GetObject_NonAsciiResponseOverride_SentAsAnEncodedWord()
    {
        var bucket = await NewBucketAsync();
        Assert.Equal(200, (await SendAsync("PUT", $"/{bucket}/k", "body")).Status);
        const string disposition = "attachment; filename=\"r\u00e9sum\u00e9.txt\"";

        var (status, headers, body) = await SendAsync("GET", $"/{bucket}/k?response-content-disposition={Uri.EscapeDataString(disposition)}");

        Assert.Equal(200, status);
        Assert.Equal("body", body);
        var expected = "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(disposition)) + "?=";
        Assert.Contains($"Content-Disposition: {expected}\r\n", headers + "\r\n", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Kestrel refuses a NUL in the request target before the gateway sees the request, with a bare 400 (no S3 XML is
    /// possible there; docs/ARCHITECTURE.md). What matters is that nothing is written and the server goes on.
    /// </summary>
    [Fact]
    public async Task PutObject_NulInTheKey_RefusedAndNothingWritten()
    {
        var bucket = await NewBucketAsync();

        var (status, _, _) = await SendAsync("PUT", $"/{bucket}/a%00b", "body");

        Assert.Equal(400, status);
        var (listed, _, listing) = await SendAsync("GET", $"/{bucket}?list-type=2");
        Assert.Equal(200, listed);
        Assert.Equal("0", StrictXml(listing).Element("KeyCount")!.Value);
    }

    private async Task<string> NewBucketAsync()
    {
        var bucket = GatewayFixture.NewName("valid");
        Assert.Equal(200, (await SendAsync("PUT", "/" + bucket)).Status);
        return bucket;
    }

    /// <summary>
    /// Sends one request and reads the whole answer (the connection closes after it). With <paramref name="contentLength"/>
    /// the header promises that many bytes and none are sent: the server must answer without the body.
    /// </summary>
    private async Task<(int Status, string Headers, string Body)> SendAsync(string method, string target, string body = "", long? contentLength = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fx.BaseUri.Port);
        await using var stream = tcp.GetStream();
        var length = contentLength ?? Encoding.UTF8.GetByteCount(body);
        var request = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request + (contentLength is null ? body : string.Empty)));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var raw = new MemoryStream();
        await stream.CopyToAsync(raw, cts.Token);
        var bytes = raw.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, split);
        using var payload = new MemoryStream();
        var pos = split + 4;
        if (!head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            payload.Write(bytes, pos, bytes.Length - pos);
        }
        else
        {
            int size;
            do
            {
                var lineEnd = pos + bytes.AsSpan(pos).IndexOf("\r\n"u8);
                size = int.Parse(Encoding.ASCII.GetString(bytes, pos, lineEnd - pos), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                payload.Write(bytes, lineEnd + 2, size);
                pos = lineEnd + 2 + size + 2;
            }
            while (size > 0);
        }

        return (int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture), head, Encoding.UTF8.GetString(payload.ToArray()));
    }

    /// <summary>Parses as an XML 1.0 parser does (names without their namespace).</summary>
    private static XElement StrictXml(string text)
    {
        using var input = new StringReader(text);
        using var reader = XmlReader.Create(input, new XmlReaderSettings { CheckCharacters = true, DtdProcessing = DtdProcessing.Prohibit });
        var root = XElement.Load(reader);
        foreach (var e in root.DescendantsAndSelf())
        {
            e.Name = e.Name.LocalName;
        }

        return root;
    }
}
