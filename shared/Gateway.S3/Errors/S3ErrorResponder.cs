using Gateway.S3.Http;
using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Errors;

/// <summary>
/// The one place where exceptions become S3 error responses. <see cref="S3Exception"/> is written
/// as AWS does; anything else becomes a generic InternalError (never internal text).
/// </summary>
public static class S3ErrorResponder
{
    /// <summary>Turns any exception into the S3 exception to send.</summary>
    public static S3Exception ToS3Exception(Exception exception) => exception switch
    {
        S3Exception s3 => s3,
        _ => new S3Exception(S3Errors.InternalError),
    };

    /// <summary>
    /// Writes the error for <paramref name="exception"/>. Returns false (and writes nothing) when the
    /// response has already started — the caller should then abort the connection.
    /// </summary>
    public static async Task<bool> WriteAsync(HttpContext context, Exception exception, S3ProtocolOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Response.HasStarted)
        {
            return false;
        }

        var error = ToS3Exception(exception);
        var response = context.Response;
        response.Clear();
        var s3 = S3CommonHeaders.Apply(context, options);
        response.StatusCode = error.Error.StatusCode;
        if (error.Headers is not null)
        {
            foreach (var (name, value) in error.Headers)
            {
                response.Headers[name] = value;
            }
        }

        if (S3ConnectionRules.ShouldClose(context.Request, beforeBodyRead: true))
        {
            // An error can be decided before the body is read (bad key, missing bucket, auth).
            response.Headers.Connection = "close";
        }

        if (error.Error.HasNoBody || HttpMethods.IsHead(context.Request.Method))
        {
            return true;
        }

        response.ContentType = S3Xml.ContentType;
        await using (var writer = await S3Xml.CreateWriterAsync(response.Body).ConfigureAwait(false))
        {
            await WriteDocumentAsync(writer, error, ResourceOf(context), s3.RequestId, s3.HostId).ConfigureAwait(false);
        }

        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The error document's <c>Resource</c>: the raw path as parsed, else the request path.</summary>
    internal static string ResourceOf(HttpContext context) =>
        S3RequestContext.Get(context)?.Target?.Resource ?? (context.Request.Path.HasValue ? context.Request.Path.Value! : "/");

    /// <summary>Writes the <c>&lt;Error&gt;</c> element (no namespace, as AWS).</summary>
    internal static async Task WriteDocumentAsync(System.Xml.XmlWriter writer, S3Exception error, string resource, string requestId, string hostId)
    {
        await writer.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
        await writer.ElementAsync("Code", error.Error.Code).ConfigureAwait(false);
        await writer.ElementAsync("Message", error.Message).ConfigureAwait(false);
        await writer.OptionalElementAsync("BucketName", error.BucketName).ConfigureAwait(false);
        await writer.OptionalElementAsync("Key", error.Key).ConfigureAwait(false);
        foreach (var (name, value) in error.Details)
        {
            await writer.ElementAsync(name, value).ConfigureAwait(false);
        }

        await writer.ElementAsync("Resource", resource).ConfigureAwait(false);
        await writer.ElementAsync("RequestId", requestId).ConfigureAwait(false);
        await writer.ElementAsync("HostId", hostId).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
