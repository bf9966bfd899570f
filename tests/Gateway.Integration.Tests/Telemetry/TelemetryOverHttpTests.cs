using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Gateway.Core.Telemetry;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests.Telemetry;

/// <summary>
/// The standalone host's telemetry seen from outside: the caller's W3C trace continues into the S3 span, from there
/// into the gRPC calls, and over the wire into pachd (the in-process LocalPachd's own ASP.NET Core span is a child of
/// the gateway's client span); and the Prometheus scrape at <c>/~/metrics</c>. tests/e2e/telemetry.py checks the
/// scrape's counts against a client's, and the Azure Monitor export of Functions mode.
/// </summary>
[Collection(AuthOffCollection.Name)]
[Trait("Host", "Standalone")]
public sealed class TelemetryOverHttpTests(AuthOffFixture fx)
{
    private const string _hostingActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    [Fact]
    public async Task Traceparent_ContinuesIntoS3SpanGrpcCallsAndPachd()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is GatewayTelemetry.Name or GatewayTelemetry.GrpcClientSourceName or "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var repo = GatewayFixture.NewName("trace");
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using (var create = await http.PutAsync($"/master.{repo}", null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/master.{repo}/traced.txt") { Content = new StringContent("traced", Encoding.UTF8) };
        put.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{callerSpan}-01");
        using (var response = await http.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Spans stop as their calls end; the last may stop just after the response was sent.
        var s3 = await EventuallyAsync(() => stopped.SingleOrDefault(a => a.Source.Name == GatewayTelemetry.Name));
        Assert.Equal(callerSpan, s3.ParentSpanId);
        Assert.Equal(ActivityKind.Server, s3.Kind);
        Assert.Equal("S3 PutObject", s3.DisplayName);
        Assert.Equal(200, s3.GetTagItem("http.response.status_code"));
        Assert.Equal($"master.{repo}", s3.GetTagItem("aws.s3.bucket"));
        Assert.DoesNotContain(s3.TagObjects, t => t.Value is string v && v.Contains("traced.txt", StringComparison.Ordinal));

        var grpc = stopped.Where(a => a.Source.Name == GatewayTelemetry.GrpcClientSourceName).ToList();
        Assert.NotEmpty(grpc);
        Assert.All(grpc, call => Assert.Equal(s3.SpanId, call.ParentSpanId));
        Assert.Contains(grpc, call => call.GetTagItem("grpc.method") is "/pfs_v2.API/ModifyFile");

        // pachd's server span: same trace, its parent one of the gateway's outgoing spans (the traceparent it sent).
        var outgoing = stopped.Where(a => a.Kind == ActivityKind.Client).Select(a => a.SpanId).ToHashSet();
        var pachdSide = await EventuallyAsync(() => stopped.FirstOrDefault(a =>
            a.OperationName == _hostingActivity && outgoing.Contains(a.ParentSpanId)));
        Assert.Equal(traceId, pachdSide.TraceId);
    }

    [Fact]
    public async Task MetricsPath_ServesPrometheusTextWithoutCredentials()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        var repo = GatewayFixture.NewName("scrape");
        using (var create = await http.PutAsync($"/master.{repo}", null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        using var response = await http.GetAsync("/~/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("x-amz-request-id"), "the scrape went through the S3 pipeline");
        Assert.Contains("gateway_s3_request_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("operation=\"CreateBucket\"", text, StringComparison.Ordinal);
        Assert.Contains("gateway_pachd_call_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.DoesNotContain(repo, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPath_OtherMethods_AreS3Requests()
    {
        using var http = new HttpClient { BaseAddress = fx.BaseUri };

        using var response = await http.PostAsync("/~/metrics", null);

        Assert.True(response.Headers.Contains("x-amz-request-id"), "a POST to the metrics path was not answered by S3");
    }

    private static async Task<Activity> EventuallyAsync(Func<Activity?> find)
    {
        for (var i = 0; i < 100; i++)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("the span did not arrive within 5 s");
    }
}
