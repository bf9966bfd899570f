using Gateway.S3;
using Gateway.S3.Auth;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Auth;

/// <summary>
/// The authenticate step of the pipeline, in the order that keeps pachd out of reach of forged requests: the
/// signature first, computed locally with Pachyderm's policy (secret = access key); then, with auth on, the key of a
/// correctly signed request confirmed with pachd (WhoAmI, cached). Every failure counts against the client's
/// allowance (<see cref="AuthFailureLimiter"/>); past it the client is answered SlowDown, and a key pachd has not
/// accepted lately is not checked for it at all. Requests that authenticate from what the gateway knows are never slowed.
/// </summary>
internal sealed class RequestAuthenticator
{
    private readonly S3Authenticator _signatures;
    private readonly PachCredentialResolver _credentials;
    private readonly PachAuthenticator _pach;
    private readonly AuthFailureLimiter _failures;
    private readonly bool _behindFunctionsHost;

    public RequestAuthenticator(PachAuthenticator pach, S3ProtocolOptions options, AuthFailureLimitOptions limits, TimeProvider time)
    {
        _pach = pach;
        _credentials = new PachCredentialResolver(pach, time);
        _signatures = new S3Authenticator(_credentials, options, time);
        _failures = new AuthFailureLimiter(limits, time);
        _behindFunctionsHost = options.BehindFunctionsHost;
    }

    /// <summary>Authenticates the request; answers the identity its signature proved and the target it was computed for.</summary>
    public async ValueTask<(S3AuthResult Auth, S3RequestTarget Target)> AuthenticateAsync(HttpContext context, S3RequestTarget target)
    {
        var client = AuthFailureLimiter.ClientOf(context.Connection.RemoteIpAddress);
        (S3AuthResult Auth, S3RequestTarget Target) signed;
        try
        {
            signed = await VerifySignatureAsync(context, target).ConfigureAwait(false);
        }
        catch (S3Exception) when (!_failures.TryTake(client, out var retryAfter))
        {
            throw AuthFailureLimiter.SlowDown(retryAfter);
        }

        await ConfirmKeyAsync(signed.Auth.Identity, client, context.RequestAborted).ConfigureAwait(false);
        return signed;
    }

    /// <summary>
    /// Checks the signature. Behind the Functions host a raw path with <c>%252F</c> is ambiguous (see
    /// <see cref="S3ProtocolOptions.BehindFunctionsHost"/>): the target read literally is tried first, then the one with
    /// encoded slashes, and the request continues with the one its signature was computed for. Unsigned requests (auth
    /// off) keep the literal reading.
    /// </summary>
    private async ValueTask<(S3AuthResult Auth, S3RequestTarget Target)> VerifySignatureAsync(HttpContext context, S3RequestTarget target)
    {
        var slashes = _behindFunctionsHost ? target.WithEncodedSlashes() : null;
        try
        {
            return (await _signatures.AuthenticateAsync(context, target, context.RequestAborted).ConfigureAwait(false), target);
        }
        catch (S3Exception e) when (slashes is not null && e.Error == S3Errors.SignatureDoesNotMatch)
        {
            return (await _signatures.AuthenticateAsync(context, slashes, context.RequestAborted).ConfigureAwait(false), slashes);
        }
    }

    /// <summary>With auth on at pachd, confirms the key the signature proved; anonymous callers are the pipeline's to refuse.</summary>
    private async ValueTask ConfirmKeyAsync(S3Identity caller, string client, CancellationToken cancellationToken)
    {
        if (caller.AccessKeyId is not { } key || !await _pach.IsAuthActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (_credentials.IsKnown(key))
        {
            try
            {
                await _credentials.ConfirmAsync(key, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (S3Exception) when (!_failures.TryTake(client, out var retryAfter))
            {
                throw AuthFailureLimiter.SlowDown(retryAfter);
            }
        }

        // Anyone can sign for a key of their choosing, so the WhoAmI a new key costs is paid for in advance from the
        // client's allowance, and given back unless pachd refuses the key.
        if (!_failures.TryTake(client, out var wait))
        {
            throw AuthFailureLimiter.SlowDown(wait);
        }

        try
        {
            await _credentials.ConfirmAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not S3Exception)
        {
            // pachd unreachable, or the client went away: not a failed authentication.
            _failures.Return(client);
            throw;
        }

        _failures.Return(client);
    }
}
