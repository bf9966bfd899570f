using System.Globalization;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV2;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Tests.Support;

/// <summary>The ways a client signs a request.</summary>
public enum SignedAs
{
    SigV4Header,
    SigV4Query,
    SigV2Header,
    SigV2Query,
    AwsChunkedSeed,
}

/// <summary>
/// Signs requests for <see cref="Gateway.SendAsync"/> (Host <c>localhost</c>, path style) the way S3 clients do, with
/// the gateway's own signer functions: a request signed here with secret == access key is what a real client sends.
/// </summary>
internal static class S3Signing
{
    public const string Host = "localhost";

    /// <summary>A request (target and headers) for <paramref name="method"/> <paramref name="rawTarget"/> signed in the given way.</summary>
    public static (string Target, Dictionary<string, string> Headers) Sign(SignedAs how, string method, string rawTarget, string accessKey, string secret, DateTimeOffset now) => how switch
    {
        SignedAs.SigV4Header => (rawTarget, SigV4Headers(method, rawTarget, accessKey, secret, now)),
        SignedAs.SigV4Query => (SigV4Presigned(method, rawTarget, accessKey, secret, now), []),
        SignedAs.SigV2Header => (rawTarget, SigV2Headers(method, rawTarget, accessKey, secret, now)),
        SignedAs.SigV2Query => (SigV2Presigned(method, rawTarget, accessKey, secret, now.AddMinutes(5)), []),
        SignedAs.AwsChunkedSeed => (rawTarget, SigV4Headers(method, rawTarget, accessKey, secret, now, S3ContentSha256.StreamingSigned, new()
        {
            ["content-encoding"] = "aws-chunked",
            ["x-amz-decoded-content-length"] = "5",
        })),
        _ => throw new ArgumentOutOfRangeException(nameof(how)),
    };

    /// <summary>SigV4 in the Authorization header, every header given (and host, x-amz-date, x-amz-content-sha256) signed.</summary>
    public static Dictionary<string, string> SigV4Headers(
        string method, string rawTarget, string accessKey, string secret, DateTimeOffset now, string payloadHash = S3ContentSha256.EmptySha256, Dictionary<string, string>? extra = null)
    {
        var amzDate = AmzDate.ToAmzDate(now);
        var headers = new Dictionary<string, string>(extra ?? [], StringComparer.OrdinalIgnoreCase)
        {
            ["x-amz-date"] = amzDate,
            ["x-amz-content-sha256"] = payloadHash,
        };
        var signed = headers.Keys.Select(k => k.ToLowerInvariant()).Append("host").Order(StringComparer.Ordinal).ToArray();
        var (path, query) = Split(rawTarget);
        var canonical = SigV4Signer.CanonicalRequest(
            method, SigV4Signer.CanonicalUri(path), SigV4Signer.CanonicalQuery(query), signed, n => n == "host" ? Host : headers[n], payloadHash);
        var scope = Scope(now);
        var signature = SigV4Signer.Signature(SigningKey(secret, now), SigV4Signer.StringToSign(amzDate, scope, canonical));
        headers["Authorization"] = $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope},SignedHeaders={string.Join(';', signed)},Signature={signature}";
        return headers;
    }

    /// <summary>A SigV4 presigned target (host signed, UNSIGNED-PAYLOAD, 300 s).</summary>
    public static string SigV4Presigned(string method, string rawTarget, string accessKey, string secret, DateTimeOffset now, int expires = 300)
    {
        var (path, query) = Split(rawTarget);
        var amzDate = AmzDate.ToAmzDate(now);
        var scope = Scope(now);
        var auth = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=" + Uri.EscapeDataString(accessKey + "/" + scope)
            + "&X-Amz-Date=" + amzDate
            + "&X-Amz-Expires=" + expires.ToString(CultureInfo.InvariantCulture)
            + "&X-Amz-SignedHeaders=host";
        var signedQuery = query.Length == 0 ? auth : query + "&" + auth;
        var canonical = SigV4Signer.CanonicalRequest(
            method, SigV4Signer.CanonicalUri(path), SigV4Signer.CanonicalQuery(signedQuery), ["host"], _ => Host, S3ContentSha256.UnsignedPayload);
        var signature = SigV4Signer.Signature(SigningKey(secret, now), SigV4Signer.StringToSign(amzDate, scope, canonical));
        return path + "?" + signedQuery + "&X-Amz-Signature=" + signature;
    }

    /// <summary>SigV2 in the Authorization header, dated by the Date header.</summary>
    public static Dictionary<string, string> SigV2Headers(string method, string rawTarget, string accessKey, string secret, DateTimeOffset now)
    {
        var date = HttpDates.Format(now);
        var stringToSign = SigV2Signer.StringToSign(method, new HeaderDictionary(), date, SigV2Signer.CanonicalResource(S3RequestTarget.Parse(rawTarget)));
        return new Dictionary<string, string>
        {
            ["Date"] = date,
            ["Authorization"] = $"AWS {accessKey}:{SigV2Signer.Signature(secret, stringToSign)}",
        };
    }

    /// <summary>A SigV2 presigned target expiring at <paramref name="expires"/>.</summary>
    public static string SigV2Presigned(string method, string rawTarget, string accessKey, string secret, DateTimeOffset expires)
    {
        var epoch = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stringToSign = SigV2Signer.StringToSign(method, new HeaderDictionary(), epoch, SigV2Signer.CanonicalResource(S3RequestTarget.Parse(rawTarget)));
        var separator = rawTarget.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return rawTarget + separator + "AWSAccessKeyId=" + Uri.EscapeDataString(accessKey) + "&Expires=" + epoch
            + "&Signature=" + Uri.EscapeDataString(SigV2Signer.Signature(secret, stringToSign));
    }

    private static string Scope(DateTimeOffset now) => AmzDate.ToScopeDate(now) + "/us-east-1/s3/aws4_request";

    private static byte[] SigningKey(string secret, DateTimeOffset now) => SigV4Signer.SigningKey(secret, AmzDate.ToScopeDate(now), "us-east-1", "s3");

    private static (string Path, string Query) Split(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (rawTarget, string.Empty) : (rawTarget[..q], rawTarget[(q + 1)..]);
    }
}
