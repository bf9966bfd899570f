using System.Globalization;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Auth;

/// <summary>
/// Authenticates S3 requests: AWS Signature V4 in the Authorization header (this file) or in the
/// query string (presigned URLs, S3Authenticator.SigV4Query.cs), Signature V2 in either place
/// (S3Authenticator.SigV2.cs). Unsigned requests yield <see cref="S3Identity.Anonymous"/> (the host
/// decides whether to accept them). Secrets come from an <see cref="IS3CredentialResolver"/>, a local policy: the
/// whole check is computation on the request, with no I/O, and the identity it returns is proven only in that sense
/// (a host that must confirm the key with a back end does so afterwards, for correctly signed requests alone).
/// </summary>
public sealed partial class S3Authenticator
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

    /// <summary>Authenticates the request in <paramref name="context"/>. Completes synchronously (no I/O).</summary>
    public ValueTask<S3AuthResult> AuthenticateAsync(HttpContext context, S3RequestTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return AuthenticateAsync(context.Request.Method, target, context.Request.Headers, cancellationToken);
    }

    /// <summary>Authenticates a request given its method, raw target and headers. Completes synchronously (no I/O).</summary>
    public ValueTask<S3AuthResult> AuthenticateAsync(string method, S3RequestTarget target, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(headers);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Authenticate(method, target, headers));
    }

    private S3AuthResult Authenticate(string method, S3RequestTarget target, IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        var query = target.Query;
        if (query.Contains("X-Amz-Algorithm") || query.Contains("X-Amz-Signature") || query.Contains("X-Amz-Credential"))
        {
            if (authorization.Length > 0)
            {
                throw new S3Exception(S3Errors.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
            }

            return AuthenticateQuery(method, target, headers);
        }

        if (query.Contains("Signature") && query.Contains("AWSAccessKeyId"))
        {
            if (authorization.Length > 0)
            {
                throw new S3Exception(S3Errors.InvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
            }

            return AuthenticateV2Query(method, target, headers);
        }

        if (authorization.Length == 0)
        {
            var anonymousHash = headers[S3ContentSha256.HeaderName].ToString();
            var anonymousMode = S3ContentSha256.Parse(anonymousHash);
            return new S3AuthResult(S3Identity.Anonymous, anonymousMode, anonymousMode == S3PayloadMode.Sha256 ? anonymousHash.ToLowerInvariant() : null, null);
        }

        if (authorization.StartsWith("AWS ", StringComparison.Ordinal))
        {
            return AuthenticateV2Header(method, target, headers, authorization);
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

        RequireAmzHeadersSigned(headers, header.SignedHeaders);
        var signing = Verify(method, target, headers, header.Credential, header.SignedHeaders, header.Signature, payloadHash, amzDate, timestamp, excludeFromQuery: null);
        var identity = S3Identity.Verified(header.Credential.AccessKeyId, S3AuthMethod.SigV4Header);
        return new S3AuthResult(identity, mode, mode == S3PayloadMode.Sha256 ? payloadHash.ToLowerInvariant() : null, signing);
    }

    /// <summary>
    /// S3 refuses x-amz-* headers that the signature does not cover: they carry request parameters (copy source,
    /// metadata, checksums, body framing), and a presigned URL must not gain any its signer did not grant.
    /// x-amz-content-sha256 alone may go unsigned: in header auth its value is the canonical request's last line
    /// whether or not it is listed, and a presigned request takes its payload hash from the query.
    /// </summary>
    private static void RequireAmzHeadersSigned(IHeaderDictionary headers, IReadOnlyList<string> signedHeaders)
    {
        List<string>? unsigned = null;
        foreach (var name in headers.Keys)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)
                && !name.Equals(S3ContentSha256.HeaderName, StringComparison.OrdinalIgnoreCase)
                && !signedHeaders.Contains(name.ToLowerInvariant(), StringComparer.Ordinal))
            {
                (unsigned ??= []).Add(name.ToLowerInvariant());
            }
        }

        if (unsigned is not null)
        {
            unsigned.Sort(StringComparer.Ordinal);
            throw new S3Exception(S3Errors.AccessDenied, "There were headers present in the request which were not signed")
                .WithDetail("HeadersNotSigned", string.Join(", ", unsigned));
        }
    }

    private SigV4SigningContext Verify(
        string method,
        S3RequestTarget target,
        IHeaderDictionary headers,
        SigV4Credential credential,
        IReadOnlyList<string> signedHeaders,
        string signature,
        string payloadHash,
        string amzDate,
        DateTimeOffset timestamp,
        string? excludeFromQuery)
    {
        var secret = _resolver.GetSecretKey(credential.AccessKeyId) ?? throw new S3Exception(S3Errors.InvalidAccessKeyId);

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
