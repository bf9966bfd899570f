using System.Diagnostics;
using Gateway.Core.Logging;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Telemetry;

/// <summary>
/// What one S3 request reports, gathered while it runs: a span (<c>S3 {operation}</c>; the server span standalone, an
/// internal one under the Functions host's) whose pachd calls are its children and whose W3C context comes from the
/// caller, the byte counts of both bodies, and at the end the
/// request metrics of <see cref="GatewayTelemetry"/> and one access log line. The span carries the operation,
/// bucket, status and S3 error code, never the key, the query string or any credential.
/// </summary>
internal sealed class RequestTelemetry : IDisposable
{
    /// <summary>The span ASP.NET Core makes for every request when anything listens; never exported by the gateway.</summary>
    private const string _hostingActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly HttpContext _context;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ByteCountingStream _requestBody;
    private readonly ByteCountingStream _responseBody;
    private readonly IHttpResponseBodyFeature? _serverResponseBody;
    private readonly Activity? _activity;
    private string? _operation;
    private string? _errorCode;

    private RequestTelemetry(HttpContext context)
    {
        _context = context;
        _requestBody = new ByteCountingStream(context.Request.Body);
        context.Request.Body = _requestBody;
        _serverResponseBody = context.Features.Get<IHttpResponseBodyFeature>();
        _responseBody = new ByteCountingStream(context.Response.Body);
        context.Response.Body = _responseBody;
        var (parent, hosted) = ParentOf(context);
        // Under a host's span (the Functions host made the trace's server span) the request is an internal step.
        _activity = GatewayTelemetry.Source.StartActivity("S3", hosted ? ActivityKind.Internal : ActivityKind.Server, parent);
        _activity?.SetTag("http.request.method", context.Request.Method);
    }

    /// <summary>Starts the telemetry of the request on <paramref name="context"/> and counts its bodies from here on.</summary>
    public static RequestTelemetry Start(HttpContext context) => new(context);

    /// <summary>The request was classified: from here it counts as in flight under its operation.</summary>
    public void Classified(S3Operation operation)
    {
        _operation = operation.ToString();
        GatewayTelemetry.ActiveRequests.Add(1, Tag("operation", _operation));
        if (_activity is not null)
        {
            _activity.DisplayName = "S3 " + _operation;
            _activity.SetTag("s3.operation", _operation);
        }
    }

    /// <summary>Notes the S3 error the request is answered with, and returns it.</summary>
    public S3Exception Failed(S3Exception error)
    {
        _errorCode = error.Error.Code;
        return error;
    }

    /// <summary>Records the request's metrics, ends its span and writes its access log line.</summary>
    public void Completed(ILogger accessLog, S3RequestContext s3)
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var status = _context.Response.StatusCode;
        var statusClass = _context.RequestAborted.IsCancellationRequested ? "aborted" : GatewayTelemetry.StatusClass(status);
        var operation = _operation ?? nameof(S3Operation.Unknown);
        var operationTag = Tag("operation", operation);
        if (_operation is not null)
        {
            GatewayTelemetry.ActiveRequests.Add(-1, operationTag);
        }

        GatewayTelemetry.RequestDuration.Record(elapsed.TotalSeconds, operationTag, Tag("status_class", statusClass));
        if (_requestBody.BytesRead > 0)
        {
            GatewayTelemetry.RequestBytes.Add(_requestBody.BytesRead, operationTag);
        }

        if (_responseBody.BytesWritten > 0)
        {
            GatewayTelemetry.ResponseBytes.Add(_responseBody.BytesWritten, operationTag);
        }

        if (_activity is not null)
        {
            _activity.SetTag("http.response.status_code", status);
            _activity.SetTag("aws.s3.bucket", s3.Target?.Bucket);
            _activity.SetTag("aws.request_id", s3.RequestId);
            if (_errorCode is not null)
            {
                _activity.SetTag("s3.error_code", _errorCode);
            }

            if (status >= 500 || statusClass == "aborted")
            {
                _activity.SetStatus(ActivityStatusCode.Error, _errorCode ?? statusClass);
            }
        }

        GatewayLog.Request(accessLog, _context.Request.Method, operation, s3.Target?.Bucket ?? string.Empty, s3.Target?.Key?.Length ?? 0,
            status, _errorCode ?? string.Empty, _requestBody.BytesRead, _responseBody.BytesWritten, elapsed.TotalMilliseconds, s3.RequestId);
    }

    /// <summary>Ends the span and gives the server its own response body back.</summary>
    public void Dispose()
    {
        _activity?.Dispose();
        if (_serverResponseBody is not null)
        {
            _context.Features.Set(_serverResponseBody);
        }
    }

    /// <summary>
    /// The parent of the request's span: the current span when a host made one for the gateway (the Functions
    /// worker's invocation span); otherwise the caller's <c>traceparent</c>, which ASP.NET Core's own request span
    /// (never exported) carries as its parent, or which is read from the headers when there is no such span.
    /// <c>Hosted</c> is true in the first case.
    /// </summary>
    private static (ActivityContext Parent, bool Hosted) ParentOf(HttpContext context)
    {
        var current = Activity.Current;
        if (current is not null && current.OperationName != _hostingActivityName)
        {
            return (current.Context, true);
        }

        if (current is not null)
        {
            return (current.ParentSpanId == default
                ? default
                : new ActivityContext(current.TraceId, current.ParentSpanId, current.ActivityTraceFlags, current.TraceStateString, isRemote: true), false);
        }

        var headers = context.Request.Headers;
        return (ActivityContext.TryParse(headers.TraceParent, headers.TraceState, isRemote: true, out var parent) ? parent : default, false);
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
