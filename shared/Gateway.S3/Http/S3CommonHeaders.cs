using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>
/// Headers S3 puts on every response: <c>x-amz-request-id</c>, <c>x-amz-id-2</c>, <c>Date</c> and
/// <c>Server</c>. The host calls <see cref="Apply"/> first thing (or uses <see cref="S3ProtocolMiddleware"/>).
/// </summary>
public static class S3CommonHeaders
{
    /// <summary>Header name of the request id.</summary>
    public const string RequestIdHeader = "x-amz-request-id";

    /// <summary>Header name of the extended request id.</summary>
    public const string HostIdHeader = "x-amz-id-2";

    /// <summary>The last Date header written, with its second (a reference swapped whole, so readers see a pair).</summary>
    private static volatile DateText? _date;

    /// <summary>
    /// Creates the request's ids (once; later calls reuse them) and sets the common headers on the
    /// response. Safe to call again after <c>HttpResponse.Clear()</c>.
    /// </summary>
    public static S3RequestContext Apply(HttpContext context, S3ProtocolOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var s3 = context.Features.Get<S3RequestContext>();
        if (s3 is null)
        {
            s3 = new S3RequestContext(NewRequestId(), NewHostId());
            context.Features.Set(s3);
        }

        var headers = context.Response.Headers;
        headers[RequestIdHeader] = s3.RequestId;
        headers[HostIdHeader] = s3.HostId;
        headers.Date = HttpDate((timeProvider ?? TimeProvider.System).GetUtcNow());
        headers.Server = options.ServerName;
        return s3;
    }

    /// <summary>The Date header's text for <paramref name="now"/>, made once per second.</summary>
    private static string HttpDate(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var cached = _date;
        if (cached is null || cached.Second != second)
        {
            cached = new DateText(second, now.ToString("R", CultureInfo.InvariantCulture));
            _date = cached;
        }

        return cached.Text;
    }

    /// <summary>A new request id: 8 random bytes as 16 upper-case hex characters.</summary>
    public static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>A new extended request id: 36 random bytes in base64 (48 characters).</summary>
    public static string NewHostId()
    {
        Span<byte> bytes = stackalloc byte[36];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>A Date header's text and the Unix second it stands for.</summary>
    private sealed record DateText(long Second, string Text);
}
