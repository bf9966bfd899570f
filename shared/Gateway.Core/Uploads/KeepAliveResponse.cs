using System.Text;
using System.Xml;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Uploads;

/// <summary>
/// Runs a long operation whose answer is an XML document and keeps the connection alive the way S3 does for
/// CompleteMultipartUpload: when the work is not done after one interval, the response is committed as 200 with the
/// XML declaration, then a space is sent every interval; the final document — the result, or an <c>&lt;Error&gt;</c>
/// document when the work failed — follows inside that 200. Work that finishes within the first interval is
/// answered normally (errors then propagate to the caller's error handling with their own status).
/// </summary>
internal sealed class KeepAliveResponse
{
    private static readonly byte[] _declaration = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private static readonly byte[] _space = " "u8.ToArray();

    private static readonly XmlWriterSettings _tailSettings = new()
    {
        Async = true,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = true,
        Indent = false,
        CloseOutput = false,
        CheckCharacters = false,
    };

    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    public KeepAliveResponse(TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        _time = time;
    }

    /// <summary>
    /// Awaits <paramref name="work"/> and writes the document it yields to <paramref name="context"/>'s response.
    /// </summary>
    public async Task RunAsync(HttpContext context, Func<CancellationToken, Task<KeepAliveResult>> work)
    {
        var aborted = context.RequestAborted;
        var task = work(aborted);
        var started = false;
        while (!task.IsCompleted)
        {
            var delay = Task.Delay(_interval, _time, aborted);
            await Task.WhenAny(task, delay).ConfigureAwait(false);
            if (task.IsCompleted)
            {
                break;
            }

            aborted.ThrowIfCancellationRequested();
            var response = context.Response;
            if (!started)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = S3Xml.ContentType;
                await response.Body.WriteAsync(_declaration, aborted).ConfigureAwait(false);
                started = true;
            }
            else
            {
                await response.Body.WriteAsync(_space, aborted).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }

        if (!started)
        {
            // Fast path: an ordinary response (errors keep their own status through the caller).
            var result = await task.ConfigureAwait(false);
            if (result.Headers is not null)
            {
                foreach (var (name, value) in result.Headers)
                {
                    context.Response.Headers[name] = value;
                }
            }

            await S3XmlResponse.WriteAsync(context.Response, result.Document, aborted).ConfigureAwait(false);
            return;
        }

        IS3XmlDocument? document = null;
        S3Exception? error = null;
        try
        {
            document = (await task.ConfigureAwait(false)).Document;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Every failure must become the <Error> document inside the committed 200.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e as S3Exception ?? Unwrap(e) ?? new S3Exception(S3Errors.InternalError);
        }

        await using (var writer = XmlWriter.Create(context.Response.Body, _tailSettings))
        {
            if (document is not null)
            {
                await document.WriteToAsync(writer).ConfigureAwait(false);
            }
            else
            {
                await WriteErrorAsync(writer, error!, context).ConfigureAwait(false);
            }

            await writer.FlushAsync().ConfigureAwait(false);
        }

        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    /// <summary>The exception a caller-supplied mapper already turned into an S3 error, when wrapped.</summary>
    private static S3Exception? Unwrap(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
        {
            if (x is S3Exception s3)
            {
                return s3;
            }
        }

        return null;
    }

    private static async Task WriteErrorAsync(XmlWriter writer, S3Exception error, HttpContext context)
    {
        // The headers are gone already: reuse the request's ids without touching them.
        var s3 = context.Features.Get<S3RequestContext>();
        await writer.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
        await writer.ElementAsync("Code", error.Error.Code).ConfigureAwait(false);
        await writer.ElementAsync("Message", error.Message).ConfigureAwait(false);
        await writer.OptionalElementAsync("BucketName", error.BucketName).ConfigureAwait(false);
        await writer.OptionalElementAsync("Key", error.Key).ConfigureAwait(false);
        foreach (var (name, value) in error.Details)
        {
            await writer.ElementAsync(name, value).ConfigureAwait(false);
        }

        await writer.ElementAsync("Resource", s3?.Target?.Resource ?? context.Request.Path.Value ?? "/").ConfigureAwait(false);
        await writer.ElementAsync("RequestId", s3?.RequestId ?? string.Empty).ConfigureAwait(false);
        await writer.ElementAsync("HostId", s3?.HostId ?? string.Empty).ConfigureAwait(false);
        await writer.WriteEndElementAsync().ConfigureAwait(false);
    }
}
