using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Integration.Tests.Support;

namespace Gateway.Integration.Tests;

/// <summary>Requests with exact request targets, sent over a socket so nothing normalises them.</summary>
[Collection(AuthOffCollection.Name)]
public sealed class RawHttpTests(AuthOffFixture fx)
{
    private async Task<(int Status, string Response)> SendAsync(string method, string target, string body = "")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fx.BaseUri.Port);
        await using var stream = tcp.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        return (int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }

    [Fact]
    public async Task DotSegmentsInKey_NeverEscapeTheBucket_InvalidArgument()
    {
        var repo = GatewayFixture.NewName("raw");
        Assert.Equal(200, (await SendAsync("PUT", "/" + repo)).Status);
        var (status, response) = await SendAsync("PUT", $"/{repo}/%2e%2e/escape", "x");
        Assert.Equal(400, status);
        Assert.Contains("<Code>InvalidArgument</Code>", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncodedSlashInKey_IsASlash()
    {
        var repo = GatewayFixture.NewName("raw");
        Assert.Equal(200, (await SendAsync("PUT", "/" + repo)).Status);
        Assert.Equal(200, (await SendAsync("PUT", $"/{repo}/a%2Fb.txt", "slash")).Status);
        var (status, response) = await SendAsync("GET", $"/{repo}/a/b.txt");
        Assert.Equal(200, status);
        Assert.EndsWith("slash", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargePut_Over30MB_AcceptedThroughLiftedBodyLimit()
    {
        var repo = GatewayFixture.NewName("big");
        using var http = new HttpClient { BaseAddress = fx.BaseUri, Timeout = TimeSpan.FromMinutes(5) };
        using (var create = await http.PutAsync("/" + repo, null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        var size = 40 * 1024 * 1024;
        using var content = new ByteArrayContent(new byte[size]);
        using var put = await http.PutAsync($"/{repo}/big.bin", content);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/{repo}/big.bin"));
        Assert.Equal(size, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ConditionalPut_IfNoneMatchStar_412WhenTheKeyExists()
    {
        var repo = GatewayFixture.NewName("cond");
        using var http = new HttpClient { BaseAddress = fx.BaseUri };
        using (var create = await http.PutAsync("/" + repo, null))
        {
            Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        }

        async Task<HttpStatusCode> PutAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/{repo}/once.txt") { Content = new StringContent(body) };
            request.Headers.TryAddWithoutValidation("If-None-Match", "*");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PutAsync("first"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, await PutAsync("second"));
        Assert.Equal("first", await http.GetStringAsync($"/{repo}/once.txt"));
    }

    [Fact]
    public async Task Multipart_NotYetImplemented_501()
    {
        var (status, response) = await SendAsync("POST", "/" + GatewayFixture.NewName("mp") + "/k?uploads");
        Assert.Equal(501, status);
        Assert.Contains("<Code>NotImplemented</Code>", response, StringComparison.Ordinal);
    }
}
