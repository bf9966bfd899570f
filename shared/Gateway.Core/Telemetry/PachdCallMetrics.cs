using System.Diagnostics;
using Grpc.Core;

namespace Gateway.Core.Telemetry;

/// <summary>
/// Records <c>gateway.pachd.call.duration</c> from the spans Grpc.Net.Client makes for every call (its ActivitySource
/// <c>Grpc.Net.Client</c>): a span starts with the call and stops when the call ends, streams included, and carries
/// the method (<c>grpc.method</c>) and the final status (<c>grpc.status_code</c>). Listening here is what makes the
/// client create those spans when no tracer is configured; they are not recorded (sampled out) unless a tracer is.
/// One listener per process.
/// </summary>
public static class PachdCallMetrics
{
    private static readonly string[] _statusNames = Enum.GetValues<StatusCode>().Select(s => s.ToString()).ToArray();
    private static readonly Lock _gate = new();
    private static ActivityListener? _listener;

    /// <summary>Starts the listener (idempotent).</summary>
    public static void EnsureStarted()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new ActivityListener
            {
                ShouldListenTo = static source => source.Name == GatewayTelemetry.GrpcClientSourceName,
                // AllData (tags, no recording): enough for the duration and the tags; a tracer may still record it.
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = Record,
            };
            ActivitySource.AddActivityListener(_listener);
        }
    }

    private static void Record(Activity activity)
    {
        var method = activity.GetTagItem("grpc.method") as string;
        if (method is null)
        {
            return;
        }

        GatewayTelemetry.PachdCallDuration.Record(
            activity.Duration.TotalSeconds,
            new KeyValuePair<string, object?>("rpc", method.TrimStart('/')),
            new KeyValuePair<string, object?>("grpc_status", StatusName(activity.GetTagItem("grpc.status_code"))));
    }

    /// <summary>The status name (<c>OK</c>, <c>NotFound</c>…) of the span's status tag; <c>Unknown</c> when missing.</summary>
    internal static string StatusName(object? tag) =>
        tag is string text && int.TryParse(text, out var code) && code >= 0 && code < _statusNames.Length
            ? _statusNames[code]
            : tag is int number && number >= 0 && number < _statusNames.Length ? _statusNames[number] : nameof(StatusCode.Unknown);
}
