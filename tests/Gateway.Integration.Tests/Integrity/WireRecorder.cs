using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>What a client put on the wire for one request: the headers that decide the body framing.</summary>
public sealed record WireRequest(
    string Scheme,
    string Method,
    string Path,
    string ContentSha256,
    string ContentEncoding,
    string Trailer,
    string TransferEncoding,
    long? ContentLength,
    string DecodedContentLength,
    string ChecksumHeaders);

/// <summary>Records the framing headers of every request, in front of the gateway (a startup filter).</summary>
public sealed class WireRecorder : IStartupFilter
{
    private readonly ConcurrentQueue<WireRequest> _requests = new();

    /// <summary>Requests seen so far.</summary>
    public IReadOnlyCollection<WireRequest> Requests => _requests;

    /// <summary>The last recorded request with <paramref name="method"/> whose path ends with <paramref name="pathSuffix"/>.</summary>
    public WireRequest Last(string method, string pathSuffix) =>
        _requests.Last(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var h = context.Request.Headers;
            _requests.Enqueue(new WireRequest(
                context.Request.Scheme,
                context.Request.Method,
                context.Request.Path.Value ?? string.Empty,
                h["x-amz-content-sha256"].ToString(),
                h.ContentEncoding.ToString(),
                h["x-amz-trailer"].ToString(),
                h.TransferEncoding.ToString(),
                context.Request.ContentLength,
                h["x-amz-decoded-content-length"].ToString(),
                string.Join(',', h.Keys.Where(k => k.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))));
            return nextMiddleware(context);
        });
        next(app);
    };
}
