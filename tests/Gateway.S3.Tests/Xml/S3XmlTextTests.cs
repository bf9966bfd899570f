using System.Text;
using System.Xml;
using System.Xml.Linq;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Xml;

/// <summary>
/// Text XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates) never reaches a
/// document: each such UTF-16 unit is written as U+FFFD, so every document parses, whatever a request echoed back.
/// </summary>
public sealed class S3XmlTextTests
{
    /// <summary>Built in code: an attribute argument cannot hold an unpaired surrogate.</summary>
    public static TheoryData<int> Cases => [0, 1, 2, 3, 4, 5, 6];

    private static readonly (string Text, string Written)[] _cases =
    [
        ("a\0b", "a\uFFFDb"),
        ("a\u0001b\u001F", "a\uFFFDb\uFFFD"),
        ("\u000B\u000C", "\uFFFD\uFFFD"),
        ("a\uFFFEb\uFFFF", "a\uFFFDb\uFFFD"),
        ("a" + (char)0xD800 + "b", "a\uFFFDb"),
        ("a" + (char)0xDC00, "a\uFFFD"),
        ("\uD83D\uDE00 tab\tlf\ncr\r\u007F\u0085\uFFFD", "\uD83D\uDE00 tab\tlf\ncr\r\u007F\u0085\uFFFD"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ErrorDocument_EchoedTextXmlCannotCarry_WellFormedWithReplacements(int index)
    {
        var (text, written) = _cases[index];
        var ctx = new DefaultHttpContext();
        ctx.Response.Body = new MemoryStream();
        var s3 = S3CommonHeaders.Apply(ctx, new S3ProtocolOptions());
        s3.Target = S3RequestTarget.Parse("/bucket/a%01b");
        var error = new S3Exception(S3Errors.InvalidArgument, "Bad key " + text) { Key = text, BucketName = text }
            .WithDetail("ArgumentValue", text);

        await S3ErrorResponder.WriteAsync(ctx, error, new S3ProtocolOptions());

        var document = Strict(Encoding.UTF8.GetString(((MemoryStream)ctx.Response.Body).ToArray()));
        Assert.Equal(written, document.Element("Key")!.Value);
        Assert.Equal(written, document.Element("BucketName")!.Value);
        Assert.Equal(written, document.Element("ArgumentValue")!.Value);
        Assert.Equal("Bad key " + written, document.Element("Message")!.Value);
        Assert.Equal("/bucket/a\uFFFDb", document.Element("Resource")!.Value);
        Assert.Equal(s3.RequestId, document.Element("RequestId")!.Value);
    }

    [Fact]
    public async Task Listing_KeysAndPrefixXmlCannotCarry_WellFormed()
    {
        var listing = new ListBucketResultV2
        {
            Name = "b",
            Prefix = "p\0",
            StartAfter = "s\u0002",
            Delimiter = "\u0001",
            Contents = [new S3ObjectEntry { Key = "a\uFFFEb", LastModified = DateTimeOffset.UnixEpoch, ETag = "\"e\"", Size = 1 }],
            CommonPrefixes = ["c\u001F\u0001"],
        };
        using var output = new MemoryStream();

        await S3XmlResponse.WriteAsync(output, listing, CancellationToken.None);

        var document = Strict(Encoding.UTF8.GetString(output.ToArray()));
        XNamespace ns = S3Xml.Namespace;
        Assert.Equal("a\uFFFDb", document.Element(ns + "Contents")!.Element(ns + "Key")!.Value);
        Assert.Equal("p\uFFFD", document.Element(ns + "Prefix")!.Value);
    }

    /// <summary>Parses as any XML 1.0 parser: a reference to a character outside XML's set is an error.</summary>
    private static XElement Strict(string text)
    {
        using var input = new StringReader(text);
        using var reader = XmlReader.Create(input, new XmlReaderSettings { CheckCharacters = true });
        return XElement.Load(reader);
    }
}
