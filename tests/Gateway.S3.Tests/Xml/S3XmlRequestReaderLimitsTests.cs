using System.Globalization;
using System.Text;
using Gateway.S3.Body;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Xml;

/// <summary>
/// The limits every XML request body reader keeps: one byte limit for all of them, element counts checked as the body
/// streams in (the reader stops at the first element over a limit), and hostile shapes refused after little reading
/// and little memory.
/// </summary>
public sealed class S3XmlRequestReaderLimitsTests
{
    private const int _large = 16 * 1024 * 1024;

    /// <summary>Markup as long as an 8 MiB body allows; a reader that keeps it whole allocates tens of megabytes.</summary>
    private const long _hugeCount = 8L * 1024 * 1024;

    /// <summary>What a streaming reader may read before it gives up: its read-ahead and the longest markup it keeps.</summary>
    private const long _readSlack = 160 * 1024;

    public static TheoryData<string> Readers => ["Delete", "Complete", "Versioning", "Tagging"];

    private static readonly Dictionary<string, (string Open, string Valid, string Deep)> _shapes = new()
    {
        ["Delete"] = ("<Delete", "<Delete><Object><Key>k</Key></Object></Delete>", "<Object>"),
        ["Complete"] = ("<CompleteMultipartUpload", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>e</ETag></Part></CompleteMultipartUpload>", "<Part>"),
        ["Versioning"] = ("<VersioningConfiguration", "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>", "<Status>"),
        ["Tagging"] = ("<Tagging", "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>", "<TagSet>"),
    };

    private static Task Read(string reader, Stream body, int max) => reader switch
    {
        "Delete" => S3XmlRequestReader.ReadDeleteObjectsAsync(body, max, CancellationToken.None),
        "Complete" => S3XmlRequestReader.ReadCompleteMultipartUploadAsync(body, max, CancellationToken.None),
        "Versioning" => S3XmlRequestReader.ReadVersioningConfigurationAsync(body, max, CancellationToken.None),
        "Tagging" => S3XmlRequestReader.ReadTaggingAsync(body, max, CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(reader)),
    };

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_BodyOfExactlyTheLimit_Accepted(string reader)
    {
        var body = _shapes[reader].Valid + new string('\n', 100);

        await Read(reader, Utf8(body), body.Length);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_BodyOneByteOverTheLimit_MaxMessageLengthExceeded(string reader)
    {
        var body = _shapes[reader].Valid + new string('\n', 100);

        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(reader, Utf8(body), body.Length - 1));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_EndlessBody_MaxMessageLengthExceededAfterOneByteOverTheLimit(string reader)
    {
        // Each read asks for the allowance left and one byte more: past the limit, nothing more of the body is taken.
        var body = new PatternStream(_shapes[reader].Open + ">", " ", _hugeCount, "");

        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(reader, body, 1000));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, ex.Error);
        Assert.Equal(1001, body.BytesRead);
    }

    /// <summary>Kestrel enforces the same limit (the operation's row sets it); its refusal reads as the S3 error too.</summary>
    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_ServerRefusedTheBodyAsTooLarge_MaxMessageLengthExceeded(string reader)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(reader, new RefusedBody(), _large));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, ex.Error);
    }

    /// <summary>The same refusal as operations see it: through the verifying stream, which reports it as EntityTooLarge.</summary>
    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_ServerRefusedTheBodyThroughTheVerifier_MaxMessageLengthExceeded(string reader)
    {
        var body = new S3VerifyingStream(new RefusedBody(), new S3BodyExpectations());

        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(reader, body, _large));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, ex.Error);
    }

    [Theory]
    [InlineData("Delete", "x")]
    [InlineData("Delete", ">")]
    [InlineData("Complete", "x")]
    [InlineData("Versioning", "x")]
    [InlineData("Tagging", ">")]
    public async Task Read_HugeAttribute_MalformedXmlAfterLittleReadingAndMemory(string reader, string filler)
    {
        var body = new PatternStream(_shapes[reader].Open + " a=\"", filler, _hugeCount, "\"/>");

        var ex = await ReadMeasuredAsync(reader, body);

        Assert.Same(S3Errors.MalformedXml, ex.Error);
        Assert.InRange(body.BytesRead, 1, _readSlack);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Read_DeeplyNested_MalformedXmlAfterLittleReadingAndMemory(string reader)
    {
        var (open, _, deep) = _shapes[reader];
        var body = new PatternStream(open + ">", deep, _hugeCount / deep.Length, "");

        var ex = await ReadMeasuredAsync(reader, body);

        Assert.Same(S3Errors.MalformedXml, ex.Error);
        Assert.InRange(body.BytesRead, 1, _readSlack);
    }

    [Fact]
    public async Task ReadTagging_DeeplyNestedInsideAKey_MalformedXmlAfterLittleReading()
    {
        var body = new PatternStream("<Tagging><TagSet><Tag><Key>", "<a>", _hugeCount / 3, "");

        var ex = await ReadMeasuredAsync("Tagging", body);

        Assert.Same(S3Errors.MalformedXml, ex.Error);
        Assert.InRange(body.BytesRead, 1, _readSlack);
    }

    /// <summary>Kestrel refuses synchronous reads: text split across many small reads is still finished asynchronously.</summary>
    [Theory]
    [InlineData("Delete", "<Delete><Object><Key>{0}</Key></Object></Delete>")]
    [InlineData("Complete", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{0}</ETag></Part></CompleteMultipartUpload>")]
    [InlineData("Versioning", "<VersioningConfiguration><Status>Enabled{1}</Status></VersioningConfiguration>")]
    [InlineData("Tagging", "<Tagging><TagSet><Tag><Key>k</Key><Value>{0}</Value></Tag></TagSet></Tagging>")]
    public async Task Read_BodyThatRefusesSynchronousReads_ReadInSmallPieces(string reader, string shape)
    {
        var xml = string.Format(CultureInfo.InvariantCulture, shape, new string('v', 250), new string(' ', 250));
        var body = new PatternStream(xml, "", 0, "", asyncOnly: true, maxChunk: 7);

        await Read(reader, body, _large);

        Assert.Equal(body.Length, body.BytesRead);
    }

    [Fact]
    public async Task ReadDeleteObjects_1000Objects_Accepted()
    {
        var body = new PatternStream("<Delete>", "<Object><Key>k</Key></Object>", 1000, "</Delete>");

        var request = await S3XmlRequestReader.ReadDeleteObjectsAsync(body, _large, CancellationToken.None);

        Assert.Equal(1000, request.Objects.Count);
    }

    [Fact]
    public async Task ReadDeleteObjects_1001stObject_MalformedXmlWithoutReadingFurther()
    {
        const string one = "<Object><Key>k</Key></Object>";
        var body = new PatternStream("<Delete>", one, 300_000, "</Delete>");

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(body, _large, CancellationToken.None));

        Assert.Same(S3Errors.MalformedXml, ex.Error);
        Assert.InRange(body.BytesRead, 1001 * one.Length, (1001 * one.Length) + _readSlack);
    }

    [Fact]
    public async Task ReadComplete_10000Parts_Accepted()
    {
        var body = new PatternStream(CompleteParts(10_000), "", 0, "</CompleteMultipartUpload>");

        var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(body, 8 * 1024 * 1024, CancellationToken.None);

        Assert.Equal(10_000, request.Parts.Count);
        Assert.Equal(10_000, request.Parts[^1].PartNumber);
    }

    [Fact]
    public async Task ReadComplete_10001stPart_RefusedWithoutReadingFurther()
    {
        var head = CompleteParts(10_000);
        var body = new PatternStream(head, "<Part><PartNumber>10001</PartNumber><ETag>e</ETag></Part>", 150_000, "</CompleteMultipartUpload>");

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadCompleteMultipartUploadAsync(body, _large, CancellationToken.None));

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
        Assert.InRange(body.BytesRead, head.Length, head.Length + _readSlack);
    }

    [Fact]
    public async Task ReadTagging_11thTag_BadRequestWithoutReadingFurther()
    {
        const string tag = "<Tag><Key>k</Key><Value>v</Value></Tag>";
        var body = new PatternStream("<Tagging><TagSet>", tag, 200_000, "</TagSet></Tagging>");

        var ex = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadTaggingAsync(body, _large, CancellationToken.None));

        Assert.Same(S3Errors.BadRequest, ex.Error);
        Assert.InRange(body.BytesRead, 11 * tag.Length, (11 * tag.Length) + _readSlack);
    }

    /// <summary>
    /// Reads <paramref name="body"/> (whose reads complete synchronously, so the whole read runs on this thread) and
    /// checks the reader allocated little on the way to its error.
    /// </summary>
    private static async Task<S3Exception> ReadMeasuredAsync(string reader, PatternStream body)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = Read(reader, body, _large);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(task.IsCompleted, "a body whose reads complete synchronously is read synchronously");
        Assert.InRange(allocated, 0, 1024 * 1024);
        return await Assert.ThrowsAsync<S3Exception>(() => task);
    }

    private static string CompleteParts(int count)
    {
        var sb = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (var i = 1; i <= count; i++)
        {
            sb.Append("<Part><PartNumber>").Append(i.ToString(CultureInfo.InvariantCulture))
              .Append("</PartNumber><ETag>\"0123456789abcdef0123456789abcdef\"</ETag></Part>");
        }

        return sb.ToString();
    }

    /// <summary>A request body the server refuses as over its limit, as Kestrel does once Content-Length passes it.</summary>
    private sealed class RefusedBody : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => 0;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw TooLarge();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw TooLarge();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw TooLarge();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static BadHttpRequestException TooLarge() => new("Request body too large.", StatusCodes.Status413PayloadTooLarge);
    }
}
