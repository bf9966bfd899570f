using System.Globalization;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Auth;

/// <summary>
/// Authenticates S3 requests: AWS Signature V4 in the Authorization header or in the query
/// string (presigned URLs); unsigned requests
/// yield <see cref="S3Identity.Anonymous"/> (the host decides whether to accept them). Secrets come
/// from an <see cref="IS3CredentialResolver"/>.
/// </summary>
public sealed class S3Authenticator
{
    private const string _amzDateHeader = "x-amz-date";
    private readonly IS3CredentialResolver _resolver;
    private readonly S3ProtocolOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the authenticator.</summary>
    public S3Authenticator(IS3CredentialResolver resolver, S3ProtocolOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Authenticates the request in <paramref name="context"/>.</summary>
    public ValueTask<S3AuthResult> AuthenticateAsync(HttpContext context, S3RequestTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthenticateAsync(context.Request.Method, target, context.Request.Headers, cancellationToken);
    }

    /// <summary>Authenticates a request given its method, raw target and headers.</summary>
    public async ValueTask<S3AuthResult> AuthenticateAsync(string method, S3RequestTarget target, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(headers);

        var authorization = headers.Authorization.ToString();
        var query = target.Query;
        if (query.Contains("X-Amz-Algorithm") || query.Contains("X-Amz-Signature") || query.Contains("X-Amz-Credential"))
        {
            if (authorization.Length > 0)
            {
                throw new S3Exception(S3Errors.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
            }

            return await AuthenticateQueryAsync(method, target, headers, cancellationToken).ConfigureAwait(false);
        }

        if (query.Contains("Signature") && query.Contains("AWSAccessKeyId"))
        {
            if (authorization.Length > 0)
            {
                throw new S3Exception(S3Errors.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
            }

            return await AuthenticateV2QueryAsync(method, target, headers, cancellationToken).ConfigureAwait(false);
        }

        if (authorization.Length == 0)
        {
            var anonymousHash = headers[S3ContentSha256.HeaderName].ToString();
            var anonymousMode = S3ContentSha256.Parse(anonymousHash);
            return new S3AuthResult(S3Identity.Anonymous, anonymousMode, anonymousMode == S3PayloadMode.Sha256 ? anonymousHash.ToLowerInvariant() : null, null);
        }

        if (authorization.StartsWith("AWS ", StringComparison.Ordinal))
        {
            return await AuthenticateV2HeaderAsync(method, target, headers, authorization, cancellationToken).ConfigureAwait(false);
        }

        if (authorization.StartsWith("AWS4-ECDSA-P256-SHA256", StringComparison.Ordinal))
        {
            throw S3Exception.NotImplemented("AWS Signature Version 4A authentication");
        }

        if (!authorization.StartsWith(SigV4AuthorizationHeader.Algorithm, StringComparison.Ordinal))
        {
            throw S3Exception.InvalidArgument("Unsupported Authorization Type", "Authorization", authorization.Split(' ')[0]);
        }

        var header = SigV4AuthorizationHeader.Parse(authorization);
        var payloadHash = headers[S3ContentSha256.HeaderName].ToString();
        if (payloadHash.Length == 0)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Missing required header for this request: x-amz-content-sha256");
        }

        var mode = S3ContentSha256.Parse(payloadHash);
        if (mode == S3PayloadMode.StreamingEcdsa)
        {
            throw S3Exception.NotImplemented("SigV4A streaming payloads (" + payloadHash + ")");
        }

        var (timestamp, amzDate) = ReadTimestamp(headers);
        if (!string.Equals(header.Credential.Date, AmzDate.ToScopeDate(timestamp), StringComparison.Ordinal))
        {
            throw new S3Exception(S3Errors.AuthorizationHeaderMalformed, "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");
        }

        var now = _time.GetUtcNow();
        if ((now - timestamp).Duration() > _options.MaxClockSkew)
        {
            throw new S3Exception(S3Errors.RequestTimeTooSkewed)
                .WithDetail("RequestTime", amzDate)
                .WithDetail("ServerTime", AmzDate.ToAmzDate(now))
                .WithDetail("MaxAllowedSkewMilliseconds", ((long)_options.MaxClockSkew.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        var signing = await VerifyAsync(
            method, target, headers, header.Credential, header.SignedHeaders, header.Signature, payloadHash, amzDate, timestamp, excludeFromQuery: null, cancellationToken).ConfigureAwait(false);
        var identity = S3Identity.Verified(header.Credential.AccessKeyId, S3AuthMethod.SigV4Header);
        return new S3AuthResult(identity, mode, mode == S3PayloadMode.Sha256 ? payloadHash.ToLowerInvariant() : null, signing);
    }

    /// <summary>Presigned URL (query-string) SigV4: X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders, -Signature.</summary>
    private async ValueTask<S3AuthResult> AuthenticateQueryAsync(string method, S3RequestTarget target, IHeaderDictionary headers, CancellationToken cancellationToken)
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

        if (expires > 604_800)
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

        var signing = await VerifyAsync(
            method, target, headers, credential, signedHeaders, signature.ToLowerInvariant(), payloadHash, dateText, timestamp, excludeFromQuery: "X-Amz-Signature", cancellationToken).ConfigureAwait(false);
        var identity = S3Identity.Verified(credential.AccessKeyId, S3AuthMethod.SigV4Query);
        return new S3AuthResult(identity, mode, mode == S3PayloadMode.Sha256 ? payloadHash.ToLowerInvariant() : null, signing);
    }

    /// <summary>Signature V2 in the header: <c>Authorization: AWS AccessKeyId:Signature</c>.</summary>
    private async ValueTask<S3AuthResult> AuthenticateV2HeaderAsync(string method, S3RequestTarget target, IHeaderDictionary headers, string authorization, CancellationToken cancellationToken)
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
        await VerifyV2Async(method, target, headers, accessKey, signature, dateLine, cancellationToken).ConfigureAwait(false);
        return V2Result(accessKey, headers);
    }

    /// <summary>Signature V2 in the query: <c>AWSAccessKeyId</c>, <c>Expires</c> (epoch seconds), <c>Signature</c>.</summary>
    private async ValueTask<S3AuthResult> AuthenticateV2QueryAsync(string method, S3RequestTarget target, IHeaderDictionary headers, CancellationToken cancellationToken)
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

        await VerifyV2Async(method, target, headers, accessKey, signature, expiresText, cancellationToken).ConfigureAwait(false);
        return V2Result(accessKey, headers);
    }

    private async ValueTask VerifyV2Async(string method, S3RequestTarget target, IHeaderDictionary headers, string accessKey, string signature, string dateLine, CancellationToken cancellationToken)
    {
        var secret = await _resolver.GetSecretKeyAsync(accessKey, cancellationToken).ConfigureAwait(false)
            ?? throw new S3Exception(S3Errors.InvalidAccessKeyId);
        var stringToSign = SigV2.SigV2Signer.StringToSign(method, headers, dateLine, SigV2.SigV2Signer.CanonicalResource(target));
        var expected = SigV2.SigV2Signer.Signature(secret, stringToSign);
        if (!SigV4Signer.SignaturesEqual(expected, signature))
        {
            throw new S3Exception(S3Errors.SignatureDoesNotMatch);
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

    private async ValueTask<SigV4SigningContext> VerifyAsync(
        string method,
        S3RequestTarget target,
        IHeaderDictionary headers,
        SigV4Credential credential,
        IReadOnlyList<string> signedHeaders,
        string signature,
        string payloadHash,
        string amzDate,
        DateTimeOffset timestamp,
        string? excludeFromQuery,
        CancellationToken cancellationToken)
    {
        var secret = await _resolver.GetSecretKeyAsync(credential.AccessKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new S3Exception(S3Errors.InvalidAccessKeyId);

        var scope = credential.Scope;
        var key = SigV4Signer.SigningKey(secret, credential.Date, credential.Region, credential.Service);
        var canonicalQuery = SigV4Signer.CanonicalQuery(target.RawQuery, excludeFromQuery);
        string Sign(string canonicalUri) => SigV4Signer.Signature(
            key,
            SigV4Signer.StringToSign(
                amzDate,
                scope,
                SigV4Signer.CanonicalRequest(method, canonicalUri, canonicalQuery, signedHeaders, name => HeaderValue(headers, name), payloadHash)));

        var expected = Sign(SigV4Signer.CanonicalUri(target.RawPath));
        if (!SigV4Signer.SignaturesEqual(expected, signature))
        {
            // A client that sent '/' inside a key as %2F may have signed the path as sent.
            var alternative = SigV4Signer.CanonicalUriKeepingEncodedSlashes(target.RawPath);
            expected = alternative is null ? expected : Sign(alternative);
            if (!SigV4Signer.SignaturesEqual(expected, signature))
            {
                throw new S3Exception(S3Errors.SignatureDoesNotMatch);
            }
        }

        return new SigV4SigningContext(key, expected, scope, amzDate, timestamp, credential.Region);
    }

    private static S3Exception QueryError(string message) => new(S3Errors.AuthorizationQueryParametersError, message);

    private static string? HeaderValue(IHeaderDictionary headers, string name)
    {
        var values = headers[name];
        return values.Count == 0 ? null : values.Count == 1 ? values[0] : string.Join(',', values.Select(v => (v ?? string.Empty).Trim()));
    }

    private static (DateTimeOffset Timestamp, string AmzDate) ReadTimestamp(IHeaderDictionary headers)
    {
        var amz = headers[_amzDateHeader].ToString();
        if (amz.Length > 0)
        {
            if (AmzDate.TryParse(amz, out var t))
            {
                return (t, amz);
            }
        }
        else if (Http.HttpDates.TryParse(headers.Date.ToString(), out var d))
        {
            return (d, AmzDate.ToAmzDate(d));
        }

        throw new S3Exception(S3Errors.AccessDenied, "AWS authentication requires a valid Date or x-amz-date header");
    }
}
