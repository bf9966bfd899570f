using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The gateway's OpenTelemetry sources, in-box .NET APIs only: hosts choose the exporters (Prometheus, OTLP, Azure
/// Monitor) by name. Tags are closed sets (operation, status class, RPC, gRPC status): no bucket, key, user or token
/// ever becomes a tag, so the series count is bounded and a scrape reveals nothing about the data.
/// <list type="table">
/// <item><term><c>gateway.s3.request.duration</c></term><description>seconds, by <c>operation</c> and
/// <c>status_class</c> (<c>2xx</c>…<c>5xx</c>, or <c>aborted</c> when the client went away); its count is the
/// number of requests.</description></item>
/// <item><term><c>gateway.s3.request.body.size</c></term><description>request body bytes as received (aws-chunked
/// framing included), by operation.</description></item>
/// <item><term><c>gateway.s3.response.body.size</c></term><description>response body bytes written, by
/// operation.</description></item>
/// <item><term><c>gateway.s3.active_requests</c></term><description>requests in flight, by operation.</description></item>
/// <item><term><c>gateway.pachd.call.duration</c></term><description>seconds, by <c>rpc</c> (<c>pfs_v2.API/GetFile</c>)
/// and <c>grpc_status</c> (<see cref="PachdCallMetrics"/>).</description></item>
/// </list>
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The name of the gateway's <see cref="Meter"/> and <see cref="ActivitySource"/>.</summary>
    public const string Name = "Pachyderm.S3Gateway";

    /// <summary>The ActivitySource of Grpc.Net.Client, whose spans are the pachd calls.</summary>
    public const string GrpcClientSourceName = "Grpc.Net.Client";

    private static readonly string? _version = typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString();

    /// <summary>Latency buckets from a cached HEAD (~1 ms) to a multi-GiB transfer (minutes).</summary>
    private static readonly double[] _secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>The source of the server span of each S3 request.</summary>
    public static ActivitySource Source { get; } = new(Name, _version);

    /// <summary>The gateway's meter.</summary>
    public static Meter Meter { get; } = new(Name, _version);

    internal static Histogram<double> RequestDuration { get; } = Meter.CreateHistogram(
        "gateway.s3.request.duration", "s", "Duration of S3 requests, from the first byte of the request to the last of the response.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = _secondsBuckets });

    internal static Counter<long> RequestBytes { get; } = Meter.CreateCounter<long>(
        "gateway.s3.request.body.size", "By", "Bytes of S3 request bodies as received.");

    internal static Counter<long> ResponseBytes { get; } = Meter.CreateCounter<long>(
        "gateway.s3.response.body.size", "By", "Bytes of S3 response bodies written.");

    internal static UpDownCounter<long> ActiveRequests { get; } = Meter.CreateUpDownCounter<long>(
        "gateway.s3.active_requests", "{request}", "S3 requests in flight (transfers included).");

    internal static Histogram<double> PachdCallDuration { get; } = Meter.CreateHistogram(
        "gateway.pachd.call.duration", "s", "Duration of gRPC calls to pachd, streams included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = _secondsBuckets });

    /// <summary><c>2xx</c>… for a status code; the strings are constants so recording allocates nothing.</summary>
    internal static string StatusClass(int status) => (status / 100) switch
    {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    };
}
