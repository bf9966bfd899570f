using System.Globalization;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Auth;

/// <content>Signature V2, header and query forms.</content>
public sealed partial class S3Authenticator
{
    /// <summary>Signature V2 in the header: <c>Authorization: AWS AccessKeyId:Signature</c>.</summary>
    private S3AuthResult AuthenticateV2Header(string method, S3RequestTarget target, IHeaderDictionary headers, string authorization)
    {
        var credentials = authorization[4..].Trim();
        var colon = credentials.LastIndexOf(':');
        if (colon <= 0 || colon == credentials.Length - 1)
        {
            throw S3Exception.InvalidArgument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature", "Authorization", authorization);
        }

        var accessKey = credentials[..colon];
        var signature = credentials[(colon + 1)..];
        var amzDate = headers[_amzDateHeader].ToString();
        var dateText = amzDate.Length > 0 ? amzDate : headers.Date.ToString();
        if (!Http.HttpDates.TryParse(dateText, out var timestamp))
        {
            throw new S3Exception(S3Errors.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
        }

        var now = _time.GetUtcNow();
        if ((now - timestamp).Duration() > _options.MaxClockSkew)
        {
            throw new S3Exception(S3Errors.RequestTimeTooSkewed)
                .WithDetail("RequestTime", dateText)
                .WithDetail("ServerTime", Http.HttpDates.Format(now))
                .WithDetail("MaxAllowedSkewMilliseconds", ((long)_options.MaxClockSkew.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        // With x-amz-date present, the Date line of the string to sign is empty (x-amz-date is signed as an amz header).
        var dateLine = amzDate.Length > 0 ? string.Empty : headers.Date.ToString().Trim();
        VerifyV2(method, target, headers, accessKey, signature, dateLine);
        return V2Result(accessKey, headers);
    }

    /// <summary>
    /// Signature V2 in the query: <c>AWSAccessKeyId</c>, <c>Expires</c> (epoch seconds), <c>Signature</c>. Like a SigV4
    /// presigned URL, one may be valid for a week at most, counted from now since SigV2 does not say when it was signed.
    /// </summary>
    private S3AuthResult AuthenticateV2Query(string method, S3RequestTarget target, IHeaderDictionary headers)
    {
        var q = target.Query;
        var accessKey = q.Get("AWSAccessKeyId")!;
        var signature = q.Get("Signature")!;
        var expiresText = q.Get("Expires");
        if (expiresText is null || !long.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw new S3Exception(S3Errors.AccessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }

        var now = _time.GetUtcNow();
        if (now.ToUnixTimeSeconds() > expires)
        {
            throw new S3Exception(S3Errors.AccessDenied, "Request has expired")
                .WithDetail("Expires", Http.HttpDates.Format(DateTimeOffset.FromUnixTimeSeconds(Math.Min(expires, 253402300799))))
                .WithDetail("ServerTime", Http.HttpDates.Format(now));
        }

        if (expires - now.ToUnixTimeSeconds() > _maxPresignedSeconds)
        {
            throw QueryError("Expires must be less than a week (in seconds) that is 604800 from now");
        }

        HoistQueryHeaders(q, headers);
        VerifyV2(method, target, headers, accessKey, signature, expiresText);
        return V2Result(accessKey, headers);
    }

    /// <summary>
    /// A SigV2 presigned URL may carry signed headers as query parameters (the SDKs put every <c>x-amz-*</c> header,
    /// <c>Content-Type</c> and <c>Content-MD5</c> there, e.g. botocore's HmacV1QueryAuth). As in S3, those values are
    /// the request's: they are signed, and they replace whatever the client sends in headers of the same names (so a
    /// plain PUT of the URL stores the metadata and content type it was signed for).
    /// </summary>
    private static void HoistQueryHeaders(S3Query query, IHeaderDictionary headers)
    {
        foreach (var parameter in query)
        {
            if (parameter.Name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
                || parameter.Name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
                || parameter.Name.Equals("content-md5", StringComparison.OrdinalIgnoreCase))
            {
                headers[parameter.Name] = parameter.Value;
            }
        }
    }

    /// <summary>SigV2 signs every x-amz-* header (the canonicalized amz headers), so none can be added unsigned.</summary>
    private void VerifyV2(string method, S3RequestTarget target, IHeaderDictionary headers, string accessKey, string signature, string dateLine)
    {
        var secret = _resolver.GetSecretKey(accessKey) ?? throw new S3Exception(S3Errors.InvalidAccessKeyId);
        bool Matches(string resource) => SigV4Signer.SignaturesEqual(
            SigV2.SigV2Signer.Signature(secret, SigV2.SigV2Signer.StringToSign(method, headers, dateLine, resource)), signature);

        if (!Matches(SigV2.SigV2Signer.CanonicalResource(target)))
        {
            // boto3 signs a path-style request to a bucket as "/bucket/" while it sends "/bucket".
            var alternative = SigV2.SigV2Signer.CanonicalResourceWithBucketSlash(target);
            if (alternative is null || !Matches(alternative))
            {
                throw new S3Exception(S3Errors.SignatureDoesNotMatch);
            }
        }
    }

    private static S3AuthResult V2Result(string accessKey, IHeaderDictionary headers)
    {
        // SigV2 does not sign the payload hash; an x-amz-content-sha256 digest is still verified if sent.
        var hash = headers[S3ContentSha256.HeaderName].ToString();
        var mode = S3ContentSha256.Parse(hash);
        if (S3ContentSha256.IsStreaming(mode) && mode != S3PayloadMode.StreamingUnsignedTrailer)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Signed aws-chunked payloads require Signature Version 4.");
        }

        return new S3AuthResult(S3Identity.Verified(accessKey, S3AuthMethod.SigV2), mode, mode == S3PayloadMode.Sha256 ? hash.ToLowerInvariant() : null, null);
    }
}
