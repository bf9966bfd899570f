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

    private static readonly XmlWriterSettings _writerSettings = new()
    {
        Async = true,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        CloseOutput = false,
        NewLineHandling = NewLineHandling.Entitize,

        // S3 keys may hold control characters; write them as character references instead of
        // failing half-way through a streamed listing.
        CheckCharacters = false,
    };

    /// <summary>
    /// Creates an async XmlWriter over <paramref name="output"/> and writes AWS's declaration
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
    public static XmlWriter CreateFragmentWriter(Stream output) => XmlWriter.Create(output, _writerSettings);

    /// <summary>ISO-8601 UTC with milliseconds, as S3 writes timestamps: <c>2009-10-12T17:50:30.000Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes <c>&lt;name&gt;value&lt;/name&gt;</c> in the current default namespace.</summary>
    public static Task ElementAsync(this XmlWriter writer, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteElementStringAsync(null, name, null, value);
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
