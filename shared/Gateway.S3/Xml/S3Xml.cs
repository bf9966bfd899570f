using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;

namespace Gateway.S3.Xml;

/// <summary>Shared settings and small helpers for S3 XML documents.</summary>
public static class S3Xml
{
    /// <summary>The namespace of every S3 success document.</summary>
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>Content type of S3 XML responses.</summary>
    public const string ContentType = "application/xml";

    /// <summary>The settings of the synchronous writer inside <see cref="PooledXmlWriter"/> (which makes it async).</summary>
    private static readonly XmlWriterSettings _writerSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        CloseOutput = false,
        NewLineHandling = NewLineHandling.Entitize,

        // Text goes through ToXmlText first, so nothing XML 1.0 refuses reaches the writer; a check here could only
        // fail a streamed listing half-way through.
        CheckCharacters = false,
    };

    /// <summary>UTF-16 units XML 1.0 refuses, or that may be (surrogates stand only in pairs): the slow path's cue.</summary>
    private static readonly SearchValues<char> _suspect = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        "\uFFFE\uFFFF" + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    /// <summary>
    /// Creates an async XmlWriter (<see cref="PooledXmlWriter"/>) over <paramref name="output"/> and writes AWS's declaration
    /// (<c>&lt;?xml version="1.0" encoding="UTF-8"?&gt;</c>). Dispose with <c>await using</c>.
    /// </summary>
    public static async Task<XmlWriter> CreateWriterAsync(Stream output)
    {
        var writer = CreateFragmentWriter(output);
        await writer.WriteRawAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").ConfigureAwait(false);
        return writer;
    }

    /// <summary>
    /// Creates an async XmlWriter over <paramref name="output"/> that writes no declaration (for a document whose
    /// declaration was sent earlier, as in a keep-alive response). Same settings as <see cref="CreateWriterAsync"/>.
    /// </summary>
    public static XmlWriter CreateFragmentWriter(Stream output) => new PooledXmlWriter(output, _writerSettings);

    /// <summary>ISO-8601 UTC with milliseconds, as S3 writes timestamps: <c>2009-10-12T17:50:30.000Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="value"/> as XML 1.0 can carry it: every UTF-16 unit outside XML's character set (C0 controls
    /// other than tab, LF and CR; U+FFFE and U+FFFF; a surrogate without its pair) becomes U+FFFD. Keys, prefixes and
    /// request values echoed back may hold such characters; written as character references they would make the whole
    /// document unreadable to every XML parser. Listings carry such keys exactly with <c>encoding-type=url</c>.
    /// </summary>
    public static string ToXmlText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var first = value.AsSpan().IndexOfAny(_suspect);
        if (first < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        sb.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[++i]);
            }
            else
            {
                sb.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
            }
        }

        return sb.ToString();
    }

    /// <summary>Writes <c>&lt;name&gt;value&lt;/name&gt;</c> in the current default namespace (value through <see cref="ToXmlText"/>).</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteElementStringAsync(null, name, null, ToXmlText(value));
    }

    /// <summary>Writes the element only when <paramref name="value"/> is not null.</summary>
    public static Task OptionalElementAsync(this XmlWriter writer, string name, string? value) =>
        value is null ? Task.CompletedTask : writer.ElementAsync(name, value);

    /// <summary>Writes a boolean element as <c>true</c>/<c>false</c>.</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, bool value) =>
        writer.ElementAsync(name, value ? "true" : "false");

    /// <summary>Writes an integer element.</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, long value) =>
        writer.ElementAsync(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes a timestamp element in S3's format.</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, DateTimeOffset value) =>
        writer.ElementAsync(name, FormatTimestamp(value));
}
