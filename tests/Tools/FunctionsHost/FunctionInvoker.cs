using System.Diagnostics;
using System.Text.Json;
using FunctionsHost.Rpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsHost;

/// <summary>
/// Runs an HTTP function as the host does for a worker that proxies HTTP (HttpUri capability): adds
/// <c>x-ms-invocation-id</c> to the request, starts forwarding it to the worker's HttpUri with YARP's
/// <see cref="IHttpForwarder"/> (default transforms, 240 s activity timeout, no redirects, no cookies, retried
/// connection failures), sends the InvocationRequest with an empty RpcHttp for the trigger, then waits for both the
/// InvocationResponse and the forwarding. A failed forwarding or a failed invocation throws (a 500 when the response
/// has not started).
/// </summary>
internal sealed class FunctionInvoker : IDisposable
{
    /// <summary>The header that pairs the forwarded request with its invocation (ScriptConstants.HttpProxyCorrelationHeader).</summary>
    public const string InvocationIdHeader = "x-ms-invocation-id";

    /// <summary>The HttpContext item that marks a request a function ran for.</summary>
    public const string FunctionItem = "FunctionsHost.Function";

    private readonly WorkerChannel _channel;
    private readonly IHttpForwarder _forwarder;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };
    private readonly string _workerUri;
    private readonly bool _verbose;
    private int _responded;

    public FunctionInvoker(WorkerChannel channel, IHttpForwarder forwarder, Uri workerUri, bool verbose)
    {
        _channel = channel;
        _forwarder = forwarder;
        _workerUri = workerUri.ToString();
        _verbose = verbose;

        // The host's handler: no redirects, no cookies. UseProxy = false is ours: the host has no proxy variables set.
        _handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        _client = new HttpMessageInvoker(new RetryHandler(_handler));
    }

    /// <summary>Called once, with the status code, when the first invocation has succeeded.</summary>
    public Action<int>? FirstResponse { get; set; }

    public async Task InvokeAsync(HttpContext context, FunctionDescriptor function)
    {
        context.Items[FunctionItem] = function.Name;
        var invocationId = Guid.NewGuid().ToString();
        var started = Stopwatch.GetTimestamp();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = TraceContextOf(Activity.Current),
        };
        request.InputData.Add(new ParameterBinding { Name = function.HttpTrigger!.BindingName, Data = new TypedData { Http = new RpcHttp() } });
        AddTriggerMetadata(context, request);

        var response = _channel.ExpectInvocation(invocationId);
        context.Request.Headers.TryAdd(InvocationIdHeader, invocationId);
        var forwarding = _forwarder.SendAsync(context, _workerUri, _client, _config).AsTask();
        _channel.Send(new StreamingMessage { InvocationRequest = request });

        using var cancel = _channel.HasCapability("HandlesInvocationCancelMessage")
            ? context.RequestAborted.Register(() => TrySend(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } }))
            : default;

        InvocationResponse result;
        try
        {
            result = await response;
        }
        finally
        {
            _channel.Forget(invocationId);
        }

        var error = await forwarding;
        if (_verbose)
        {
            Console.WriteLine($"[host] {function.Name} {context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> {context.Response.StatusCode} ({result.Result?.Status}, forwarding {error}) in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms, invocation {invocationId}");
        }

        if (error != ForwarderError.None)
        {
            throw new InvalidOperationException($"Failed to proxy request with ForwarderError: {error}", context.GetForwarderErrorFeature()?.Exception);
        }

        if (result.Result?.Status == StatusResult.Types.Status.Success && Interlocked.Exchange(ref _responded, 1) == 0)
        {
            FirstResponse?.Invoke(context.Response.StatusCode);
        }

        if (result.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw new FunctionInvocationException($"Function '{function.Name}' (invocation {invocationId}) failed: {result.Result?.Exception?.Type} {result.Result?.Exception?.Message}");
        }
    }

    /// <summary>
    /// The HTTP trigger's binding data as the host sends it to a worker that declares RpcHttpTriggerMetadataRemoved:
    /// route values, Query and Headers (the request object itself is left out).
    /// </summary>
    private static void AddTriggerMetadata(HttpContext context, InvocationRequest request)
    {
        foreach (var (key, value) in context.GetRouteData().Values)
        {
            if (value is string s)
            {
                request.TriggerMetadata[key] = new TypedData { String = s };
            }
        }

        request.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())) };
        request.TriggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())) };
    }

    private void TrySend(StreamingMessage message)
    {
        try
        {
            _channel.Send(message);
        }
        catch (InvalidOperationException)
        {
            // The stream is gone.
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _handler.Dispose();
    }

    /// <summary>Retries a request whose connection failed, 10 tries with 50 ms doubling up to 250 ms between them, as the host's RetryProxyHandler.</summary>
    private sealed class RetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private const int _maxTries = 10;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var delay = 50;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException) when (attempt < _maxTries)
                {
                    await Task.Delay(delay, cancellationToken);
                    delay = Math.Min(delay * 2, 250);
                }
            }
        }
    }

    /// <summary>
    /// The invocation's trace context as the host sends it: its own request span, marked sampled (the host samples
    /// what it traces; the emulator records nothing itself, so it stands in for a host that keeps every trace).
    /// </summary>
    private static RpcTraceContext TraceContextOf(Activity? request) => request is null
        ? new RpcTraceContext()
        : new RpcTraceContext { TraceParent = $"00-{request.TraceId}-{request.SpanId}-01", TraceState = request.TraceStateString ?? string.Empty };
}

/// <summary>A function that ran and failed.</summary>
internal sealed class FunctionInvocationException(string message) : Exception(message);
