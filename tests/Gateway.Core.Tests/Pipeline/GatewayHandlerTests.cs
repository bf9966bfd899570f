using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Pachyderm;
using Gateway.S3;
using Gateway.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Core.Tests.Pipeline;

/// <summary>The pipeline itself: common headers, classification, bucket names, authentication, failures.</summary>
[Collection(PachdCollection.Name)]
public sealed class GatewayHandlerTests(PachdServer pachd)
{
    private readonly Support.Gateway _gateway = new(pachd.Client);

    [Fact]
    public async Task HandleAsync_SuccessAndError_CommonS3Headers()
    {
        var repo = await pachd.NewRepoAsync();

        foreach (var r in new[] { await _gateway.SendAsync("HEAD", $"/{repo}"), await _gateway.SendAsync("GET", $"/{repo}/missing") })
        {
            Assert.Matches("^[0-9A-F]{16}$", r.Headers["x-amz-request-id"].ToString());
            Assert.False(string.IsNullOrEmpty(r.Headers["x-amz-id-2"]));
            Assert.False(string.IsNullOrEmpty(r.Headers.Date));
            Assert.Equal("PachydermS3Gateway", r.Headers.Server.ToString());
        }
    }

    [Fact]
    public async Task HandleAsync_Error_DocumentNamesResourceAndRequestId()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("GET", $"/{repo}/no/such%20key");

        Assert.Equal("application/xml", r.Headers.ContentType.ToString());
        Assert.Equal($"/{repo}/no/such key", r.Xml.Element("Resource")!.Value);
        Assert.Equal(r.Headers["x-amz-request-id"].ToString(), r.Xml.Element("RequestId")!.Value);
        Assert.Equal(r.Headers["x-amz-id-2"].ToString(), r.Xml.Element("HostId")!.Value);
    }

    [Theory]
    [InlineData("/a.b.c.d/key")]
    [InlineData("/bad!name")]
    public async Task HandleAsync_InvalidBucketName_400(string target)
    {
        var r = await _gateway.SendAsync("GET", target);

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidBucketName", r.ErrorCode);
    }

    [Fact]
    public async Task HandleAsync_GatewaysOwnRepo_NoSuchBucket()
    {
        var r = await _gateway.SendAsync("GET", "/master._s3gateway_uploads?list-type=2");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchBucket", r.ErrorCode);
    }

    [Theory]
    [InlineData("GET", "/data?acl", 501, "NotImplemented")]
    [InlineData("POST", "/data", 501, "NotImplemented")]
    [InlineData("PATCH", "/data/k", 405, "MethodNotAllowed")]
    public async Task HandleAsync_Unserved_S3Error(string method, string target, int status, string code)
    {
        var r = await _gateway.SendAsync(method, target);

        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.ErrorCode);
        if (status == 405)
        {
            Assert.Equal(method, r.Xml.Element("Method")!.Value);
            Assert.Equal("OBJECT", r.Xml.Element("ResourceType")!.Value);
        }
    }

    [Fact]
    public async Task HandleAsync_UnexpectedException_GenericInternalErrorWithoutItsText()
    {
        var repo = await pachd.NewRepoAsync();
        var gateway = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.InspectBranchAsync), new InvalidOperationException("db password is hunter2")));

        var r = await gateway.SendAsync("GET", $"/{repo}?location");

        Assert.Equal(500, r.Status);
        Assert.Equal("InternalError", r.ErrorCode);
        Assert.DoesNotContain("hunter2", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PachdUnreachable_ServiceUnavailable()
    {
        var down = new PachException(PachErrorKind.Unavailable, Grpc.Core.StatusCode.Unavailable, "connection refused 10.0.0.7:1650");
        var gateway = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.IsAuthActiveAsync), down));

        var r = await gateway.SendAsync("GET", "/");

        Assert.Equal(503, r.Status);
        Assert.Equal("ServiceUnavailable", r.ErrorCode);
        Assert.Equal("1", r.Headers.RetryAfter.ToString());
        Assert.DoesNotContain("10.0.0.7", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PachdCallTimedOut_ServiceUnavailableNotInternalError()
    {
        var repo = await pachd.NewRepoAsync();
        var late = new PachException(PachErrorKind.Unavailable, Grpc.Core.StatusCode.DeadlineExceeded, "Deadline Exceeded");
        var gateway = new Support.Gateway(PachProxy.Failing(pachd.Client, nameof(IPachClient.InspectFileAsync), late));

        var r = await gateway.SendAsync("HEAD", $"/{repo}/k");

        Assert.Equal(503, r.Status);
        Assert.Equal("1", r.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task HandleAsync_TransfersAtTheBound_SlowDownWhileOtherRequestsPass()
    {
        var repo = await pachd.NewRepoAsync();
        await pachd.PutAsync(repo, "/there", "x");
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, MaxConcurrentTransfers = 1, QueueSeconds = 0.2, RetryAfterSeconds = 2 });
        var body = new HeldStream(Encoding.UTF8.GetBytes("held"));
        var held = gateway.SendAsync("PUT", $"/{repo}/held", configure: c =>
        {
            c.Request.Body = body;
            c.Request.ContentLength = body.Length;
        });
        await body.Reading.WaitAsync(TimeSpan.FromSeconds(10));

        var put = await gateway.SendAsync("PUT", $"/{repo}/second", "y");
        var get = await gateway.SendAsync("GET", $"/{repo}/there");
        var list = await gateway.SendAsync("GET", $"/{repo}?list-type=2");
        var head = await gateway.SendAsync("HEAD", $"/{repo}/there");
        body.Release();
        var first = await held.WaitAsync(TimeSpan.FromSeconds(10));
        var after = await gateway.SendAsync("PUT", $"/{repo}/third", "z");

        Assert.Equal((503, "SlowDown", "2"), (put.Status, put.ErrorCode, put.Headers.RetryAfter.ToString()));
        Assert.Equal((503, "SlowDown"), (get.Status, get.ErrorCode));
        Assert.Equal(200, list.Status);
        Assert.Equal(200, head.Status);
        Assert.Equal(200, first.Status);
        Assert.Equal(200, after.Status);
    }

    [Fact]
    public async Task HandleAsync_TransferQueuedWhileAPlaceFreesUp_Served()
    {
        var repo = await pachd.NewRepoAsync();
        var gateway = new Support.Gateway(pachd.Client, new GatewayOptions { AuthModeCacheSeconds = 0, MaxConcurrentTransfers = 1, QueueSeconds = 30 });
        var body = new HeldStream(Encoding.UTF8.GetBytes("held"));
        var held = gateway.SendAsync("PUT", $"/{repo}/held", configure: c =>
        {
            c.Request.Body = body;
            c.Request.ContentLength = body.Length;
        });
        await body.Reading.WaitAsync(TimeSpan.FromSeconds(10));

        var queued = gateway.SendAsync("PUT", $"/{repo}/queued", "q");
        Assert.False(queued.IsCompleted);
        body.Release();

        Assert.Equal(200, (await held.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(200, (await queued.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Theory]
    [InlineData("PUT", "/data/k", 5L * 1024 * 1024 * 1024 * 65 / 64 + 1024 * 1024)]
    [InlineData("PUT", "/data/k?uploadId=0123456789abcdef0123456789abcdef&partNumber=1", 5L * 1024 * 1024 * 1024 * 65 / 64 + 1024 * 1024)]
    [InlineData("PUT", "/data", 8L * 1024 * 1024)]
    [InlineData("POST", "/data?delete", 8L * 1024 * 1024)]
    [InlineData("GET", "/data?acl", 8L * 1024 * 1024)]
    public async Task HandleAsync_BodyLimit_FromTheOperationsRow(string method, string target, long limit)
    {
        var feature = new MaxBodySize();

        await _gateway.SendAsync(method, target, configure: c => c.Features.Set<IHttpMaxRequestBodySizeFeature>(feature));

        Assert.Equal(limit, feature.MaxRequestBodySize);
    }

    [Fact]
    public async Task HandleAsync_AuthActiveAndUnsigned_AccessDenied()
    {
        var secured = new PachdServer();
        await secured.InitializeAsync();
        try
        {
            await secured.Client.ActivateAuthAsync("root-" + Guid.NewGuid().ToString("N"));
            var gateway = new Support.Gateway(secured.Client);

            var r = await gateway.SendAsync("GET", "/");

            Assert.Equal(403, r.Status);
            Assert.Equal("AccessDenied", r.ErrorCode);
        }
        finally
        {
            await secured.DisposeAsync();
        }
    }

    [Fact]
    public async Task HandleAsync_XmlBodyOverTheSetting_MaxMessageLengthExceededOrLimitApplied()
    {
        var repo = await pachd.NewRepoAsync();
        var gateway = new Support.Gateway(pachd.Client, s3Options: new S3ProtocolOptions { MaxXmlBodyBytes = 64 });

        var r = await gateway.SendAsync("POST", $"/{repo}?delete", "<Delete>" + string.Concat(Enumerable.Repeat("<Object><Key>k</Key></Object>", 10)) + "</Delete>");

        Assert.Equal(400, r.Status);
        Assert.Equal("MaxMessageLengthExceeded", r.ErrorCode);
    }

    private sealed class MaxBodySize : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; } = 30_000_000;
    }
}
