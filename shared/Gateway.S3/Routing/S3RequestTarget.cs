using System.Text;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.S3.Routing;

/// <summary>
/// Bucket, key and query of a request, taken from the raw request target — never from
/// <c>HttpRequest.Path</c> or route values, which decode <c>%2F</c> and drop dot segments.
/// The raw path and raw query are kept for SigV4.
/// </summary>
public sealed class S3RequestTarget
{
    private S3RequestTarget(string rawPath, S3Query query, string? bucket, string? key, bool virtualHosted)
    {
        RawPath = rawPath;
        Query = query;
        Bucket = bucket;
        Key = key;
        IsVirtualHostedStyle = virtualHosted;
    }

    /// <summary>The path exactly as sent (starts with '/'), used for the SigV4 canonical URI.</summary>
    public string RawPath { get; }

    /// <summary>The raw query string without '?', used for the SigV4 canonical query.</summary>
    public string RawQuery => Query.Raw;

    /// <summary>The parsed query.</summary>
    public S3Query Query { get; }

    /// <summary>The bucket, or null for service-level requests (<c>GET /</c>).</summary>
    public string? Bucket { get; }

    /// <summary>The object key decoded once, or null for bucket-level requests. Keeps <c>//</c>, trailing '/', dot segments.</summary>
    public string? Key { get; }

    /// <summary>True when the bucket came from the Host header.</summary>
    public bool IsVirtualHostedStyle { get; }

    /// <summary>The resource path AWS puts in error documents: <c>/bucket/key</c>, <c>/bucket</c> or <c>/</c>.</summary>
    public string Resource => Bucket is null ? "/" : Key is null ? "/" + Bucket : "/" + Bucket + "/" + Key;

    /// <summary>Reads the raw request target of <paramref name="context"/> (TestServer falls back to PathBase+Path+QueryString).</summary>
    public static S3RequestTarget FromHttpContext(HttpContext context, S3ProtocolOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        return Parse(GetRawTarget(context), context.Request.Headers.Host.ToString(), options.BaseDomain);
    }

    /// <summary>The raw request target (path and query) as sent by the client.</summary>
    public static string GetRawTarget(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || (raw[0] != '/' && !raw.StartsWith("http", StringComparison.OrdinalIgnoreCase)))
        {
            raw = (context.Request.PathBase + context.Request.Path).ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }

        return raw;
    }

    /// <summary>
    /// Parses a raw target. <paramref name="host"/> and <paramref name="baseDomain"/> enable
    /// virtual-hosted style: Host <c>b.{baseDomain}</c> gives bucket <c>b</c> and the whole path as key.
    /// </summary>
    public static S3RequestTarget Parse(string rawTarget, string? host = null, string? baseDomain = null)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var target = StripAbsoluteForm(rawTarget);
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? target : target[..q];
        var query = q < 0 ? S3Query.Empty : S3Query.ParseRaw(target[(q + 1)..]);
        if (rawPath.Length == 0)
        {
            rawPath = "/";
        }

        if (rawPath[0] != '/')
        {
            throw new S3Exception(S3Errors.InvalidUri);
        }

        return Build(rawPath, query, BucketFromHost(host, baseDomain));
    }

    private static S3RequestTarget Build(string rawPath, S3Query query, string? hostBucket)
    {
        if (hostBucket is not null)
        {
            var vkey = rawPath.Length > 1 ? S3UriEncoding.Decode(rawPath.AsSpan(1)) : null;
            return new S3RequestTarget(rawPath, query, hostBucket, vkey, virtualHosted: true);
        }

        var rest = rawPath.AsSpan(1);
        if (rest.IsEmpty)
        {
            return new S3RequestTarget(rawPath, query, null, null, virtualHosted: false);
        }

        var slash = rest.IndexOf('/');
        var bucketPart = slash < 0 ? rest : rest[..slash];
        var bucket = S3UriEncoding.Decode(bucketPart);
        if (bucket.Length == 0)
        {
            // "//x": an empty bucket segment can't name anything.
            throw new S3Exception(S3Errors.InvalidBucketName) { BucketName = string.Empty };
        }

        string? key = null;
        if (slash >= 0 && slash + 1 < rest.Length)
        {
            key = S3UriEncoding.Decode(rest[(slash + 1)..]);
        }

        return new S3RequestTarget(rawPath, query, bucket, key, virtualHosted: false);
    }

    /// <summary>
    /// The same request read as if every <c>%252F</c> of the raw path had been sent as <c>%2F</c>: a slash inside the
    /// key instead of the three characters <c>%2F</c>. Null when the raw path has none. Behind the Functions host both
    /// spellings arrive as <c>%252F</c>; the signature tells which one the client meant.
    /// </summary>
    public S3RequestTarget? WithEncodedSlashes()
    {
        const string twiceEncoded = "%252F";
        if (RawPath.IndexOf(twiceEncoded, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        var sb = new StringBuilder(RawPath.Length);
        for (var i = 0; i < RawPath.Length; i++)
        {
            if (string.Compare(RawPath, i, twiceEncoded, 0, twiceEncoded.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                sb.Append("%2F");
                i += twiceEncoded.Length - 1;
            }
            else
            {
                sb.Append(RawPath[i]);
            }
        }

        return Build(sb.ToString(), Query, IsVirtualHostedStyle ? Bucket : null);
    }

    private static string StripAbsoluteForm(string target)
    {
        // Absolute-form targets (proxies) carry scheme and authority before the path.
        var schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
        if (target.Length == 0 || target[0] == '/' || schemeEnd < 0)
        {
            return target;
        }

        var pathStart = target.IndexOfAny(['/', '?'], schemeEnd + 3);
        return pathStart < 0 ? "/" : target[pathStart] == '?' ? "/" + target[pathStart..] : target[pathStart..];
    }

    private static string? BucketFromHost(string? host, string? baseDomain)
    {
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(baseDomain))
        {
            return null;
        }

        var h = host.AsSpan();
        if (h.Length > 0 && h[0] != '[')
        {
            var colon = h.LastIndexOf(':');
            if (colon >= 0)
            {
                h = h[..colon];
            }
        }

        var domain = baseDomain.AsSpan().Trim('.');
        if (h.Length <= domain.Length + 1 || !h.EndsWith(domain, StringComparison.OrdinalIgnoreCase) || h[h.Length - domain.Length - 1] != '.')
        {
            return null;
        }

        return h[..(h.Length - domain.Length - 1)].ToString();
    }
}
