using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>
/// What an S3 operation answers: a status, headers, and at most one of an XML document, an object body, or
/// work that may outlast the client's patience (answered with keep-alive whitespace). Operations build it;
/// <see cref="S3ResponseWriter"/> alone puts it on the wire, so tests assert on this value rather than on bytes.
/// Disposing it disposes an object body that was never written.
/// </summary>
public sealed class S3Response : IAsyncDisposable
{
    private S3Response(int statusCode) => StatusCode = statusCode;

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>Response headers (object metadata, ETag, version id, checksums...).</summary>
    public IHeaderDictionary Headers { get; } = new HeaderDictionary();

    /// <summary>The XML document of the body, if any.</summary>
    public IS3XmlDocument? Document { get; private init; }

    /// <summary>The Content-Length of an object response (HEAD and GET), if any.</summary>
    public long? ContentLength { get; private init; }

    /// <summary>The object bytes to send (exactly <see cref="ContentLength"/> of them); null for HEAD and empty bodies.</summary>
    public Stream? Content { get; private init; }

    /// <summary>Work whose result is the real response, answered with keep-alive whitespace when it is slow.</summary>
    public Func<CancellationToken, Task<S3Response>>? Deferred { get; private init; }

    /// <summary>A response with no body.</summary>
    public static S3Response Status(int statusCode) => new(statusCode);

    /// <summary>A 200 response carrying <paramref name="document"/>.</summary>
    public static S3Response Xml(IS3XmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new S3Response(StatusCodes.Status200OK) { Document = document };
    }

    /// <summary>
    /// An object response of <paramref name="length"/> bytes read from <paramref name="content"/> (null: headers
    /// only, as for HEAD). The response owns the stream.
    /// </summary>
    public static S3Response Object(int statusCode, long length, Stream? content)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new S3Response(statusCode) { ContentLength = length, Content = content };
    }

    /// <summary>
    /// A response produced by <paramref name="work"/>. When it takes longer than the keep-alive interval, a 200 is
    /// committed and whitespace sent until the work's document (or an <c>&lt;Error&gt;</c> document) follows, as S3
    /// does for CompleteMultipartUpload.
    /// </summary>
    public static S3Response KeepAlive(Func<CancellationToken, Task<S3Response>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new S3Response(StatusCodes.Status200OK) { Deferred = work };
    }

    /// <summary>Sets a header when <paramref name="value"/> is not null or empty; returns this.</summary>
    public S3Response WithHeader(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Headers[name] = value;
        }

        return this;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content?.DisposeAsync() ?? ValueTask.CompletedTask;
}
