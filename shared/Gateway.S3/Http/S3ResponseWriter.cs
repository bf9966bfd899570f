using System.Buffers;
using Gateway.S3.Errors;
using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>
/// The one place an <see cref="S3Response"/> or an S3 error reaches the wire: status and headers, then the XML
/// document, the object bytes (copied through a pooled buffer, exactly the promised length) or the keep-alive
/// sequence of deferred work.
/// </summary>
public sealed class S3ResponseWriter
{
    private const int _copyBufferSize = 64 * 1024;
    private static readonly byte[] _declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"u8.ToArray();
    private static readonly byte[] _space = " "u8.ToArray();

    private readonly S3ProtocolOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the writer.</summary>
    public S3ResponseWriter(S3ProtocolOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Writes <paramref name="response"/>. Failures before anything was sent propagate to the caller (who answers
    /// with <see cref="WriteErrorAsync"/>); deferred work that fails after the 200 was committed is answered inside
    /// it, as the <c>&lt;Error&gt;</c> document <paramref name="toError"/> makes of the failure.
    /// </summary>
    public Task WriteAsync(HttpContext context, S3Response response, Func<Exception, S3Exception> toError)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(toError);
        return response.Deferred is { } work ? WriteKeepAliveAsync(context, work, toError) : WriteNowAsync(context, response);
    }

    /// <summary>
    /// Writes <paramref name="error"/> as S3 error XML. False when the response has already started: the caller
    /// should then abort the connection, the only honest signal left.
    /// </summary>
    public Task<bool> WriteErrorAsync(HttpContext context, S3Exception error)
    {
        ArgumentNullException.ThrowIfNull(context);
        return S3ErrorResponder.WriteAsync(context, error, _options, context.RequestAborted);
    }

    private static async Task WriteNowAsync(HttpContext context, S3Response response)
    {
        var http = context.Response;
        var aborted = context.RequestAborted;
        http.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        if (S3ConnectionRules.ShouldClose(context.Request, beforeBodyRead: false))
        {
            http.Headers.Connection = "close";
        }

        if (response.Document is { } document)
        {
            await S3XmlResponse.WriteAsync(http, document, aborted, response.StatusCode).ConfigureAwait(false);
            return;
        }

        if (response.ContentLength is not { } length)
        {
            return;
        }

        http.ContentLength = length;
        if (response.Content is { } content && length > 0)
        {
            await CopyAsync(content, http.Body, length, aborted).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_copyBufferSize);
        try
        {
            var remaining = length;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // A short body under the promised Content-Length would be silently wrong: fail, so the connection ends.
                    throw new IOException("The object's content ended before its promised length.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteKeepAliveAsync(HttpContext context, Func<CancellationToken, Task<S3Response>> work, Func<Exception, S3Exception> toError)
    {
        var aborted = context.RequestAborted;
        var task = work(aborted);
        var committed = false;
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(_options.KeepAliveInterval, _time, aborted)).ConfigureAwait(false);
            if (task.IsCompleted)
            {
                break;
            }

            aborted.ThrowIfCancellationRequested();
            var http = context.Response;
            if (!committed)
            {
                http.StatusCode = StatusCodes.Status200OK;
                http.ContentType = S3Xml.ContentType;
                await http.Body.WriteAsync(_declaration, aborted).ConfigureAwait(false);
                committed = true;
            }
            else
            {
                await http.Body.WriteAsync(_space, aborted).ConfigureAwait(false);
            }

            await http.Body.FlushAsync(aborted).ConfigureAwait(false);
        }

        if (!committed)
        {
            // Fast: an ordinary response, and failures keep their own status through the caller.
            await using var fast = await task.ConfigureAwait(false);
            await WriteNowAsync(context, fast).ConfigureAwait(false);
            return;
        }

        IS3XmlDocument? document = null;
        S3Exception? error = null;
        try
        {
            await using var late = await task.ConfigureAwait(false);
            document = late.Document ?? throw new InvalidOperationException("Deferred work must answer with an XML document.");
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Every failure must become the <Error> document inside the committed 200.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = toError(e);
        }

        await using (var writer = S3Xml.CreateFragmentWriter(context.Response.Body))
        {
            if (document is not null)
            {
                await document.WriteToAsync(writer).ConfigureAwait(false);
            }
            else
            {
                var s3 = S3RequestContext.Get(context);
                await S3ErrorResponder.WriteDocumentAsync(writer, error!, S3ErrorResponder.ResourceOf(context), s3?.RequestId ?? string.Empty, s3?.HostId ?? string.Empty).ConfigureAwait(false);
            }

            await writer.FlushAsync().ConfigureAwait(false);
        }

        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }
}
