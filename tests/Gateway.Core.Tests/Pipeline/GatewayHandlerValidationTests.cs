using System.Xml;
using Gateway.Core.Tests.Support;
using Gateway.S3;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>
/// What the pipeline refuses before an operation runs, and how: query parameters an operation does not take, text that
/// XML cannot carry echoed back in error documents, XML bodies over their limits.
/// </summary>
[Collection(PachdCollection.Name)]
public sealed class GatewayHandlerValidationTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Theory]
    [InlineData("?anything")]
    [InlineData("?anything=")]
    [InlineData("?lifecycle")]
    [InlineData("?policy")]
    [InlineData("?cors")]
    [InlineData("?tagging")]
    [InlineData("?website")]
    [InlineData("?encryption")]
    [InlineData("?replication")]
    [InlineData("?ownershipControls")]
    [InlineData("?publicAccessBlock")]
    [InlineData("?intelligent-tiering&id=x")]
    [InlineData("?analytics&id=x")]
    [InlineData("?metrics&id=x")]
    [InlineData("?inventory&id=x")]
    [InlineData("?versioning")]
    [InlineData("?uploads")]
    [InlineData("?delete")]
    public async Task DeleteBucket_WithASubresource_NotImplementedAndTheBucketStays(string query)
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("DELETE", $"/{repo}{query}");

        Assert.Equal(501, r.Status);
        Assert.Equal("NotImplemented", r.ErrorCode);
        Assert.Equal(r.Headers["x-amz-request-id"].ToString(), r.Xml.Element("RequestId")!.Value);
        Assert.Equal(200, (await _gateway.SendAsync("HEAD", $"/{repo}")).Status);
    }

    [Theory]
    [InlineData("DELETE", "?retention")]
    [InlineData("DELETE", "?legal-hold")]
    [InlineData("DELETE", "?acl")]
    [InlineData("DELETE", "?anything")]
    [InlineData("DELETE", "?versions")]
    [InlineData("PUT", "?acl")]
    [InlineData("PUT", "?anything")]
    [InlineData("PUT", "?uploads")]
    public async Task ObjectWrite_WithASubresource_NotImplementedAndTheObjectStays(string method, string query)
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/k", "kept");

        var r = await _gateway.SendAsync(method, $"/{repo}/k{query}", "new");

        Assert.Equal(501, r.Status);
        Assert.Equal("NotImplemented", r.ErrorCode);
        Assert.Equal("kept", await pachd.ReadAsync(repo, "/k"));
    }

    /// <summary>
    /// Keys, prefixes and values with characters XML 1.0 cannot hold (C0 controls but tab, CR and LF; U+FFFE, U+FFFF)
    /// are answered with a well-formed S3 document naming the request id, whichever part of the request held them.
    /// (A raw <c>%00</c> in the path never gets this far: Kestrel itself refuses the request line.)
    /// </summary>
    [Theory]
    [InlineData("GET", "/{0}/a%01b", null, 404, "NoSuchKey")]
    [InlineData("HEAD", "/{0}/a%1Fb", null, 404, null)]
    [InlineData("PUT", "/{0}/a%01b", null, 400, "InvalidArgument")]
    [InlineData("PUT", "/{0}/a%0Bb%0C", null, 400, "InvalidArgument")]
    [InlineData("GET", "/{0}/a%EF%BF%BEb%EF%BF%BF", null, 404, "NoSuchKey")]
    [InlineData("GET", "/{0}/k?versionId=a%00b", null, 400, "InvalidArgument")]
    [InlineData("PUT", "/{0}/k", "x-amz-copy-source: /{0}/a%00b", 404, "NoSuchKey")]
    [InlineData("PUT", "/{0}/k", "x-amz-tagging: a%00=b", 400, "InvalidTag")]
    [InlineData("GET", "/{0}?prefix=a%00b&delimiter=%01", null, 200, null)]
    [InlineData("GET", "/{0}?list-type=2&start-after=a%00b&prefix=%EF%BF%BF", null, 200, null)]
    [InlineData("GET", "/{0}?versions&key-marker=a%00b", null, 200, null)]
    [InlineData("GET", "/{0}?uploads&prefix=%02", null, 200, null)]
    [InlineData("GET", "/a%01b", null, 400, "InvalidBucketName")]
    public async Task Request_WithCharactersXmlCannotCarry_WellFormedS3Document(string method, string target, string? header, int status, string? code)
    {
        var repo = await pachd.NewRepoAsync();
        var headers = header is null ? null : new Dictionary<string, string> { [header.Split(": ")[0]] = string.Format(System.Globalization.CultureInfo.InvariantCulture, header.Split(": ")[1], repo) };

        var body = method == "PUT" && header?.StartsWith("x-amz-copy-source", StringComparison.Ordinal) != true ? "data" : null;

        var r = await _gateway.SendAsync(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, target, repo), body, headers);

        Assert.Equal(status, r.Status);
        if (method == "HEAD")
        {
            Assert.Empty(r.Body);
            return;
        }

        var document = StrictXml(r.Text);
        Assert.Equal(code, document.Name.LocalName == "Error" ? document.Element("Code")!.Value : null);
        if (code is not null)
        {
            Assert.Equal(r.Headers["x-amz-request-id"].ToString(), document.Element("RequestId")!.Value);
        }
    }

    [Fact]
    public async Task CompleteMultipartUpload_BodyOverTheXmlLimit_MaxMessageLengthExceeded()
    {
        var repo = await pachd.NewRepoAsync();
        var uploadId = await _gateway.CreateAsync(repo, "k");
        var etag = await _gateway.PartAsync(repo, "k", uploadId, 1, "part");
        var body = Multipart.CompleteBody((1, etag));
        var limited = new Support.Gateway(pachd.Client, s3Options: new S3ProtocolOptions { MaxXmlBodyBytes = body.Length - 1 });

        var r = await limited.SendAsync("POST", $"/{repo}/k?uploadId={uploadId}", body);

        Assert.Equal(400, r.Status);
        Assert.Equal("MaxMessageLengthExceeded", r.ErrorCode);
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task CompleteMultipartUpload_BodyAtTheXmlLimit_Completed()
    {
        var repo = await pachd.NewRepoAsync();
        var uploadId = await _gateway.CreateAsync(repo, "k");
        var etag = await _gateway.PartAsync(repo, "k", uploadId, 1, "part");
        var body = Multipart.CompleteBody((1, etag));
        var limited = new Support.Gateway(pachd.Client, s3Options: new S3ProtocolOptions { MaxXmlBodyBytes = body.Length });

        var r = await limited.SendAsync("POST", $"/{repo}/k?uploadId={uploadId}", body);

        Assert.Equal(200, r.Status);
        Assert.Equal("part", await pachd.ReadAsync(repo, "/k"));
    }

    /// <summary>Parses as an XML 1.0 parser does: character references to characters outside XML's set are errors.</summary>
    private static System.Xml.Linq.XElement StrictXml(string text)
    {
        using var input = new StringReader(text);
        using var reader = XmlReader.Create(input, new XmlReaderSettings { CheckCharacters = true, DtdProcessing = DtdProcessing.Prohibit });
        return Responses.Plain(System.Xml.Linq.XElement.Load(reader));
    }
}
