namespace Gateway.S3.Auth;

/// <summary>
/// Supplies the secret key for an access key. The host decides the policy: with Pachyderm auth off
/// any access key is valid and its secret equals the access key (<see cref="AccessKeyIsSecretResolver"/>);
/// with auth on the host validates the access key (a Pachyderm token) and answers the same secret,
/// or null when the key is unknown.
/// </summary>
public interface IS3CredentialResolver
{
    /// <summary>Returns the secret for <paramref name="accessKeyId"/>, or null to answer InvalidAccessKeyId.</summary>
    ValueTask<string?> GetSecretKeyAsync(string accessKeyId, CancellationToken cancellationToken);
}
