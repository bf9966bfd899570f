extern alias functions;

using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Gateway.Integration.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests;

/// <summary>The embedded LocalPachd with auth on, from one setting (GATEWAY_LOCALPACHD_ROOT_TOKEN).</summary>
public sealed class EmbeddedAuthTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "gw-auth-" + Guid.NewGuid().ToString("N"));

    private WebApplicationFactory<functions::Program> Start(string rootToken, out Uri baseUri)
    {
        var factory = new WebApplicationFactory<functions::Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Gateway:DataDirectory", _data);
            b.UseSetting("Gateway:LocalPachdRootToken", rootToken);
            b.UseSetting("Gateway:AuthModeCacheSeconds", "0");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        baseUri = new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        return factory;
    }

    private static AmazonS3Client Client(Uri baseUri, string key) => new(
        new Amazon.Runtime.BasicAWSCredentials(key, key),
        new AmazonS3Config { ServiceURL = baseUri.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", UseHttp = true, MaxErrorRetry = 0 });

    [Fact]
    public async Task RootTokenSetting_AuthOnWithThatRootAcrossRestarts_WrongTokenRefusesToStart()
    {
        var root = "root-" + Guid.NewGuid().ToString("N");
        await using (var factory = Start(root, out var baseUri))
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/")).StatusCode);
            using var s3 = Client(baseUri, root);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = "secured" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "secured", Key = "k", ContentBody = "x" });
            using var stranger = Client(baseUri, "not-a-token");
            Assert.Equal("InvalidAccessKeyId", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => stranger.ListBucketsAsync())).ErrorCode);
        }

        await using (var again = Start(root, out var baseUri))
        {
            using var s3 = Client(baseUri, root);
            Assert.Single((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "secured" })).S3Objects);
        }

        Assert.ThrowsAny<Exception>(() => Start("some-other-token", out _).Dispose());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Still held by a background task; the OS cleans temp.
        }
    }
}
