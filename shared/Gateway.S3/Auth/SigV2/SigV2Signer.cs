using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Auth.SigV2;

/// <summary>
/// AWS Signature Version 2 for S3 (HMAC-SHA1 over verb, Content-MD5, Content-Type, date,
/// canonicalized x-amz-* headers and the canonicalized resource). Kept for older clients.
/// </summary>
public static class SigV2Signer
{
    /// <summary>Query parameters that belong to the canonicalized resource, as S3 documents them.</summary>
    public static FrozenSet<string> SubResources { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
        "requestPayment", "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires", "restore", "tagging", "torrent",
        "uploadId", "uploads", "versionId", "versioning", "versions", "website");

    /// <summary>
    /// The canonicalized resource: <c>/bucket</c> (from the Host for virtual-hosted requests) plus
    /// the path as sent, plus the sub-resource parameters sorted by name with decoded values.
    /// </summary>
    public static string CanonicalResource(S3RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sb = new StringBuilder();
        if (target.IsVirtualHostedStyle)
        {
            sb.Append('/').Append(target.Bucket);
        }

        sb.Append(target.RawPath);
        var first = true;
        foreach (var p in target.Query.Where(p => SubResources.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            sb.Append(first ? '?' : '&').Append(p.Name);
            if (p.HasValue)
            {
                sb.Append('=').Append(p.Value);
            }

            first = false;
        }

        return sb.ToString();
    }

    /// <summary>
    /// The canonicalized resource as boto3 signs a path-style request to a bucket itself (<c>/bucket/</c>, though it
    /// sends <c>/bucket</c>): <see cref="CanonicalResource"/> with a '/' after the bucket. Null for any other request.
    /// </summary>
    public static string? CanonicalResourceWithBucketSlash(S3RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.IsVirtualHostedStyle || target.Bucket is null || !string.IsNullOrEmpty(target.Key) || target.RawPath.EndsWith('/'))
        {
            return null;
        }

        var resource = CanonicalResource(target);
        return string.Concat(target.RawPath, "/", resource.AsSpan(target.RawPath.Length));
    }

    /// <summary>
    /// The x-amz-* headers, lower-cased, sorted, values trimmed and joined with ',', each ending in LF. Only trimmed:
    /// unlike SigV4, SigV2 keeps runs of spaces inside a value, and so do the clients that sign it (botocore's
    /// HmacV1Auth, s3cmd).
    /// </summary>
    public static string CanonicalAmzHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var sb = new StringBuilder();
        foreach (var (name, values) in headers
            .Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), h.Value))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            sb.Append(name).Append(':')
              .Append(string.Join(',', values.Select(v => (v ?? string.Empty).Trim())))
              .Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>
    /// The string to sign. <paramref name="dateLine"/> is the Date header, the empty string when
    /// x-amz-date is present, or the Expires value for presigned URLs.
    /// </summary>
    public static string StringToSign(string method, IHeaderDictionary headers, string dateLine, string canonicalResource)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return method + "\n"
            + headers.ContentMD5.ToString().Trim() + "\n"
            + headers.ContentType.ToString().Trim() + "\n"
            + dateLine + "\n"
            + CanonicalAmzHeaders(headers)
            + canonicalResource;
    }

    /// <summary>Base64 HMAC-SHA1 of <paramref name="stringToSign"/>.</summary>
    public static string Signature(string secretKey, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(stringToSign);
#pragma warning disable CA5350 // SigV2 is defined with HMAC-SHA1; it is what old clients send.
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350
    }
}
