using System.Globalization;
using System.Text;
using CsCheck;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Requests;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// The XML request readers (<see cref="S3XmlRequestReader"/>): random well-formed DeleteObjects,
/// CompleteMultipartUpload, Tagging and CreateBucketConfiguration documents (any XML characters in keys and values,
/// optional namespace, white space, comments, CDATA, character references) read back as written; garbage, truncated,
/// mutated, deeply nested and oversized bodies give S3's errors and no other exception, and the limits stop the reader
/// early.
/// </summary>
public sealed class XmlRequestFuzz
{
    private const string _ns = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    /// <summary>Text of XML characters (no lone surrogates, no U+FFFE/U+FFFF, no control characters but TAB, LF, CR).</summary>
    private static readonly Gen<string> _xmlText = Gen.Frequency(
        (6, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (2, Gen.Char["<>&\"'\t\n\r ]]>"].Select(c => c.ToString())),
        (1, Gen.Char['\u00a0', '\ud7ff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32))).Array[0, 20].Select(string.Concat);

    /// <summary>Writes text so that it reads back exactly: escapes, CR as a reference, sometimes CDATA.</summary>
    private static string Escape(string text, int style)
    {
        if (style == 1 && !text.Contains("]]>", StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal))
        {
            return "<![CDATA[" + text + "]]>";
        }

        var sb = new StringBuilder();
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '&' => "&amp;",
                '>' => style == 2 ? "&#62;" : "&gt;",
                '\r' => "&#xD;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static readonly Gen<string> _gap = Gen.OneOf(string.Empty, string.Empty, " ", "\n  ", "<!-- c -->", "<?pi x?>");

    private static MemoryStream Utf8(string xml) => new(Encoding.UTF8.GetBytes(xml));

    [Fact]
    public Task DeleteObjects_WellFormed_ReadBack() =>
        Gen.Select(Gen.Select(_xmlText.Where(k => k.Length > 0), Gen.Bool, Gen.Int[0, 2]).Array[1, 30], Gen.Bool, Gen.Bool, _gap).SampleAsync(1_500, async t =>
        {
            var (objects, quiet, ns, gap) = t;
            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").Append("<Delete").Append(ns ? _ns : string.Empty).Append('>').Append(gap);
            xml.Append("<Quiet>").Append(quiet ? "true" : "false").Append("</Quiet>");
            foreach (var (key, withVersion, style) in objects)
            {
                xml.Append("<Object>").Append(gap).Append("<Key>").Append(Escape(key, style)).Append("</Key>");
                if (withVersion)
                {
                    xml.Append("<VersionId>").Append(Escape(key, 0)).Append("v</VersionId>");
                }

                xml.Append("</Object>").Append(gap);
            }

            xml.Append("</Delete>");
            var request = await S3XmlRequestReader.ReadDeleteObjectsAsync(Utf8(xml.ToString()), 1 << 20, CancellationToken.None);

            Assert.Equal(quiet, request.Quiet);
            Assert.Equal(objects.Select(o => (o.Item1, o.Item2 ? o.Item1 + "v" : null)), request.Objects.Select(o => (o.Key, o.VersionId)));
        });

    [Fact]
    public Task CompleteMultipartUpload_WellFormed_ReadBack() =>
        Gen.Select(Gen.Int[1, 10_000].Array[1, 40], Gen.Bool, _gap).SampleAsync(1_000, async t =>
        {
            var (numbers, ns, gap) = t;
            var parts = numbers.Distinct().Order().ToArray();
            var xml = new StringBuilder("<CompleteMultipartUpload").Append(ns ? _ns : string.Empty).Append('>');
            foreach (var n in parts)
            {
                xml.Append(gap).Append("<Part><ETag>\"").Append(n.ToString("x32", CultureInfo.InvariantCulture)).Append("\"</ETag>")
                    .Append("<PartNumber> ").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</PartNumber></Part>");
            }

            xml.Append("</CompleteMultipartUpload>");
            var request = await S3XmlRequestReader.ReadCompleteMultipartUploadAsync(Utf8(xml.ToString()), 1 << 20, CancellationToken.None);

            Assert.Equal(parts, request.Parts.Select(p => p.PartNumber));
            Assert.Equal(parts.Select(n => "\"" + n.ToString("x32", CultureInfo.InvariantCulture) + "\""), request.Parts.Select(p => p.ETag));
        });

    [Fact]
    public Task Tagging_And_CreateBucketConfiguration_WellFormed_ReadBack() =>
        Gen.Select(Gen.Select(Gen.String[Gen.Char["abcXYZ019 +-=._:/@"], 1, 20], Gen.String[Gen.Char["abcXYZ019 +-=._:/@"], 0, 20]).Array[0, 10], _xmlText, Gen.Int[0, 2]).SampleAsync(1_000, async t =>
        {
            var (tags, location, style) = t;
            var unique = tags.DistinctBy(x => x.Item1).ToArray();
            var tagging = "<Tagging><TagSet>" + string.Concat(unique.Select(x => $"<Tag><Key>{Escape(x.Item1, style)}</Key><Value>{Escape(x.Item2, 0)}</Value></Tag>")) + "</TagSet></Tagging>";
            var set = await S3XmlRequestReader.ReadTaggingAsync(Utf8(tagging), 1 << 20, CancellationToken.None);
            Assert.Equal(unique.Select(x => (x.Item1, x.Item2)), set.Select(x => (x.Key, x.Value)));

            var create = $"<CreateBucketConfiguration{_ns}><LocationConstraint>{Escape(location, style)}</LocationConstraint></CreateBucketConfiguration>";
            var configuration = await S3XmlRequestReader.ReadCreateBucketConfigurationAsync(Utf8(create), 1 << 20, CancellationToken.None);
            Assert.Equal(location, configuration!.LocationConstraint);
        });

    /// <summary>The errors a reader may give for a body that is not its document.</summary>
    private static readonly HashSet<S3Error> _documentErrors =
    [
        S3Errors.MalformedXml, S3Errors.MaxMessageLengthExceeded, S3Errors.InvalidPartOrder, S3Errors.InvalidArgument, S3Errors.InvalidTag,
        S3Errors.BadRequest, S3Errors.NotImplemented, S3Errors.IllegalVersioningConfigurationException,
    ];

    private static readonly string[] _valid =
    [
        "<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>",
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>e</ETag><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part></CompleteMultipartUpload>",
        "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>",
        "<CreateBucketConfiguration><LocationConstraint>eu</LocationConstraint></CreateBucketConfiguration>",
        "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>",
    ];

    private static readonly Func<Stream, int, CancellationToken, Task>[] _readers =
    [
        S3XmlRequestReader.ReadDeleteObjectsAsync,
        S3XmlRequestReader.ReadCompleteMultipartUploadAsync,
        S3XmlRequestReader.ReadTaggingAsync,
        S3XmlRequestReader.ReadCreateBucketConfigurationAsync,
        S3XmlRequestReader.ReadVersioningConfigurationAsync,
    ];

    private static readonly Gen<byte[]> _bodies = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 4], Gen.Int[0, 1000], Gen.Int[0, 3], Gen.OneOf("<", ">", "/", "&", "&#0;", "<!DOCTYPE x [<!ENTITY e 'x'>]>", "&e;", "<Object>", "</Key>", "\u00e9", "\0", " ", "<Part>", "<![CDATA[", "]]>"))
            .Select(t =>
            {
                var (doc, at, kind, piece) = t;
                var s = _valid[doc];
                var i = at % (s.Length + 1);
                return Encoding.UTF8.GetBytes(kind switch
                {
                    0 => s.Insert(i, piece),
                    1 => s[..i],
                    2 when i < s.Length => s.Remove(i, 1),
                    _ => s[..i] + piece + s[Math.Min(s.Length, i + piece.Length)..],
                });
            })),
        (2, Gen.String[Gen.Char["<>/=\"' aDeltObjcKy?!-[]&;#x"], 0, 120].Select(Encoding.UTF8.GetBytes)),
        (1, Gen.Byte.Array[0, 200]),
        (1, Gen.Int[1, 3000].Select(n => Encoding.UTF8.GetBytes("<Delete>" + string.Concat(Enumerable.Repeat("<a>", n))))));

    [Fact]
    public Task AnyBody_DocumentOrS3Error() =>
        Gen.Select(_bodies, Gen.Int[0, 4]).SampleAsync(6_000, async t =>
        {
            var (body, reader) = t;
            try
            {
                await _readers[reader](new MemoryStream(body), 1 << 16, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (S3Exception e)
            {
                Assert.True(_documentErrors.Contains(e.Error), $"{e.Error.Code}: {e.Message}");
            }
        });

    [Fact]
    public Task Oversized_MaxMessageLengthExceeded_ReadStopsAtLimit() =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[100, 5_000], Gen.OneOf("<Object><Key>k</Key></Object>", " ", "<!-- comment -->", "<a/>")).SampleAsync(300, async t =>
        {
            var (reader, limit, filler) = t;
            var counting = new EndlessBody(_valid[reader][..(_valid[reader].IndexOf('>', StringComparison.Ordinal) + 1)], filler);
            var e = await Assert.ThrowsAsync<S3Exception>(() => _readers[reader](counting, limit, CancellationToken.None));

            Assert.True(_documentErrors.Contains(e.Error), e.Error.Code);
            // Each read is capped at the allowance left and one byte: the reader never takes more than limit + 1 bytes.
            Assert.InRange(counting.Served, 0, limit + 1);
        });

    [Fact]
    public async Task EndlessTextRun_MalformedXmlWithinMarkupBound()
    {
        var counting = new EndlessBody("<Delete><Object><Key>", "k");
        var e = await Assert.ThrowsAsync<S3Exception>(() => S3XmlRequestReader.ReadDeleteObjectsAsync(counting, int.MaxValue, CancellationToken.None));

        Assert.Same(S3Errors.MalformedXml, e.Error);
        Assert.InRange(counting.Served, XmlBodyStream.MaxMarkupBytes, XmlBodyStream.MaxMarkupBytes + (64 * 1024));
    }
}
