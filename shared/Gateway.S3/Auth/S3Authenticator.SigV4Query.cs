using System.Globalization;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Auth;

/// <content>Presigned URL (query-string) Signature V4.</content>
public sealed partial class S3Authenticator
{
    /// <summary>Presigned URL (query-string) SigV4: X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature.</summary>
    private S3AuthResult AuthenticateQuery(string method, S3RequestTarget target, IHeaderDictionary headers)
    {
        var q = target.Query;
        var algorithm = q.Get("X-Amz-Algorithm");
        var credentialText = q.Get("X-Amz-Credential");
        var dateText = q.Get("X-Amz-Date");
        var expiresText = q.Get("X-Amz-Expires");
        var signedHeadersText = q.Get("X-Amz-SignedHeaders");
        var signature = q.Get("X-Amz-Signature");
        if (algorithm is null || credentialText is null || dateText is null || expiresText is null || signedHeadersText is null || signature is null)
        {
            throw QueryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }

        if (!string.Equals(algorithm, SigV4AuthorizationHeader.Algorithm, StringComparison.Ordinal))
        {
            throw QueryError("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }

        var credential = SigV4Credential.Parse(credentialText, S3Errors.AuthorizationQueryParametersError);
        if (!AmzDate.TryParse(dateText, out var timestamp))
        {
            throw QueryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }

        if (!int.TryParse(expiresText, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw QueryError("X-Amz-Expires should be a number");
        }

        if (expires > _maxPresignedSeconds)
        {
            throw QueryError("X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }

        if (!string.Equals(credential.Date, AmzDate.ToScopeDate(timestamp), StringComparison.Ordinal))
        {
            throw QueryError("Invalid credential date. Date is not the same as X-Amz-Date.");
        }

        var signedHeaders = signedHeadersText.Split(';');
        if (!signedHeaders.Contains("host", StringComparer.Ordinal) || signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()))
        {
            throw QueryError("X-Amz-SignedHeaders must be a ';'-separated list of lower-case header names that includes 'host'.");
        }

        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigit))
        {
            throw new S3Exception(S3Errors.SignatureDoesNotMatch);
        }

        var now = _time.GetUtcNow();
        if (now < timestamp - _options.MaxClockSkew)
        {
            throw new S3Exception(S3Errors.AccessDenied, "Request is not valid yet");
        }

        if (now > timestamp.AddSeconds(expires))
        {
            throw new S3Exception(S3Errors.AccessDenied, "Request has expired")
                .WithDetail("X-Amz-Expires", expiresText)
                .WithDetail("Expires", AmzDate.ToAmzDate(timestamp.AddSeconds(expires)))
                .WithDetail("ServerTime", AmzDate.ToAmzDate(now));
        }

        // Presigned URLs sign UNSIGNED-PAYLOAD unless the signer put a digest in the query.
        var payloadHash = q.Get("X-Amz-Content-Sha256") ?? S3ContentSha256.UnsignedPayload;
        var mode = S3ContentSha256.Parse(payloadHash);
        if (S3ContentSha256.IsStreaming(mode))
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Presigned requests cannot use aws-chunked payloads.");
        }

        RequireAmzHeadersSigned(headers, signedHeaders);
        var signing = Verify(method, target, headers, credential, signedHeaders, signature.ToLowerInvariant(), payloadHash, dateText, timestamp, excludeFromQuery: "X-Amz-Signature");
        var identity = S3Identity.Verified(credential.AccessKeyId, S3AuthMethod.SigV4Query);
        return new S3AuthResult(identity, mode, mode == S3PayloadMode.Sha256 ? payloadHash.ToLowerInvariant() : null, signing);
    }

    /// <summary>The longest a presigned URL may be valid, SigV4 or SigV2: a week, in seconds.</summary>
    private const long _maxPresignedSeconds = 604_800;

    private static S3Exception QueryError(string message) => new(S3Errors.AuthorizationQueryParametersError, message);
}
