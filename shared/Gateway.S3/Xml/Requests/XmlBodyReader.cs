using System.Buffers;
using System.Text;
using System.Xml;
using Gateway.S3.Errors;

namespace Gateway.S3.Xml.Requests;

/// <summary>
/// Walks an XML request body one element at a time, as it streams in: an XmlReader with no DTD, no resolver and no
/// entities of its own over an <see cref="XmlBodyStream"/>. Nothing is kept but what the caller takes, so a reader that
/// stops at the first element it does not expect (or over its count) has read and held little of a hostile body.
/// Element names are compared by local name (S3's namespace is optional); comments and processing instructions are
/// skipped; text where an element is expected is MalformedXML, as is anything the XmlReader refuses.
/// </summary>
internal sealed class XmlBodyReader : IDisposable
{
    private static readonly XmlReaderSettings _settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    private readonly XmlBodyStream _stream;
    private readonly XmlReader _reader;

    public XmlBodyReader(Stream body, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        _stream = new XmlBodyStream(body, maxBytes);
        _reader = XmlReader.Create(_stream, _settings);
    }

    /// <summary>The local name of the element the reader is on.</summary>
    public string Name => _reader.LocalName;

    /// <summary>The depth of the element the reader is on (the root is 0).</summary>
    public int Depth => _reader.Depth;

    /// <summary>
    /// Moves to the root element and checks its name (MalformedXML otherwise). Returns false, having read nothing more,
    /// when the body is empty and <paramref name="emptyAllowed"/>.
    /// </summary>
    public async Task<bool> ReadRootAsync(string localName, bool emptyAllowed = false)
    {
        try
        {
            while (await _reader.ReadAsync().ConfigureAwait(false))
            {
                if (_reader.NodeType == XmlNodeType.Element)
                {
                    return _reader.LocalName == localName ? true : throw Malformed();
                }
            }
        }
        catch (XmlException) when (emptyAllowed && _stream.BytesRead == 0)
        {
            return false;
        }
        catch (XmlException e)
        {
            throw Malformed(e);
        }

        return emptyAllowed && _stream.BytesRead == 0 ? false : throw Malformed();
    }

    /// <summary>
    /// Moves to the next child element of the element at <paramref name="parentDepth"/>, or past that element's end
    /// (false). Call it with the parent's depth until it answers false; take each child whole first (its text, or its
    /// own children) before asking for the next.
    /// </summary>
    public async Task<bool> ReadChildAsync(int parentDepth)
    {
        if (_reader.NodeType == XmlNodeType.Element && _reader.Depth == parentDepth && _reader.IsEmptyElement)
        {
            return false;
        }

        try
        {
            while (await _reader.ReadAsync().ConfigureAwait(false))
            {
                switch (_reader.NodeType)
                {
                    case XmlNodeType.Element when _reader.Depth == parentDepth + 1:
                        return true;
                    case XmlNodeType.EndElement when _reader.Depth == parentDepth:
                        return false;
                    case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        continue;
                    default:
                        // Text between elements, or a child's child nobody asked for.
                        throw Malformed();
                }
            }
        }
        catch (XmlException e)
        {
            throw Malformed(e);
        }

        throw Malformed();
    }

    /// <summary>The text of the element the reader is on, exactly as sent (white space kept); a child element is MalformedXML.</summary>
    public async Task<string> ReadTextAsync()
    {
        if (_reader.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = _reader.Depth;
        string? single = null;
        StringBuilder? more = null;
        try
        {
            while (await _reader.ReadAsync().ConfigureAwait(false))
            {
                switch (_reader.NodeType)
                {
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        // GetValueAsync, not Value: a value split across reads is finished with synchronous reads
                        // otherwise, which Kestrel refuses.
                        var value = await _reader.GetValueAsync().ConfigureAwait(false);
                        if (single is null)
                        {
                            single = value;
                        }
                        else
                        {
                            (more ??= new StringBuilder(single)).Append(value);
                        }

                        continue;
                    case XmlNodeType.EndElement when _reader.Depth == depth:
                        return more?.ToString() ?? single ?? string.Empty;
                    default:
                        throw Malformed();
                }
            }
        }
        catch (XmlException e)
        {
            throw Malformed(e);
        }

        throw Malformed();
    }

    /// <summary>
    /// After the root element: checks that nothing but white space, comments or processing instructions follows it, then
    /// reads the body to its end so a verifying stream checks its digests before the request is acted on.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _reader.ReadAsync().ConfigureAwait(false))
            {
                if (_reader.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
                {
                    throw Malformed();
                }
            }
        }
        catch (XmlException e)
        {
            throw Malformed(e);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
                // The XmlReader stopped at its end of input; the verifier may still hold a trailer to check.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The error for a body that is not the document the operation takes.</summary>
    public static S3Exception Malformed(Exception? inner = null) => new(S3Errors.MalformedXml, innerException: inner);
}
