using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.S3.Http;

/// <summary>
/// ASP.NET Core middleware that applies the common S3 headers, parses the raw target into
/// <see cref="S3RequestContext.Target"/>, and maps every exception escaping the pipeline to S3 error
/// XML (unexpected ones to a generic InternalError, logged). Register with
/// <c>app.UseMiddleware&lt;S3ProtocolMiddleware&gt;()</c>; in Functions mode call
/// <see cref="InvokeAsync"/> around the handler.
/// </summary>
public sealed partial class S3ProtocolMiddleware
{
    private readonly RequestDelegate _next;
    private readonly S3ProtocolOptions _options;
    private readonly ILogger<S3ProtocolMiddleware> _logger;

    /// <summary>Creates the middleware.</summary>
    public S3ProtocolMiddleware(RequestDelegate next, IOptions<S3ProtocolOptions> options, ILogger<S3ProtocolMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs the request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s3 = S3CommonHeaders.Apply(context, _options);
        try
        {
            s3.Target = Routing.S3RequestTarget.FromHttpContext(context, _options);
            await _next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex)
        {
            if (ex is S3Exception s3ex)
            {
                if (s3ex.Error.StatusCode >= 500)
                {
                    LogServerError(_logger, s3ex.Error.Code, s3.RequestId, ex);
                }
            }
            else
            {
                LogUnexpected(_logger, s3.RequestId, ex);
            }

            if (!await S3ErrorResponder.WriteAsync(context, ex, _options, context.RequestAborted).ConfigureAwait(false))
            {
                // Headers are gone already; the only honest signal left is a broken connection.
                context.Abort();
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected error in request {RequestId}")]
    private static partial void LogUnexpected(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "S3 server error {Code} in request {RequestId}")]
    private static partial void LogServerError(ILogger logger, string code, string requestId, Exception exception);
}
