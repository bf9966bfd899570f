using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Xml;

/// <summary>Writes S3 XML documents to an HTTP response, streaming through an async XmlWriter.</summary>
public static class S3XmlResponse
{
    /// <summary>Sets Content-Type and the status (default 200) and streams <paramref name="document"/> to the body.</summary>
    public static async Task WriteAsync(HttpResponse response, IS3XmlDocument document, CancellationToken cancellationToken, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(document);
        response.StatusCode = statusCode;
        response.ContentType = S3Xml.ContentType;
        await WriteAsync(response.Body, document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams <paramref name="document"/> (with XML declaration) to <paramref name="output"/>.</summary>
    public static async Task WriteAsync(Stream output, IS3XmlDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(document);
        cancellationToken.ThrowIfCancellationRequested();
        await using (var writer = await S3Xml.CreateWriterAsync(output).ConfigureAwait(false))
        {
            await document.WriteToAsync(writer).ConfigureAwait(false);
            await writer.FlushAsync().ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
