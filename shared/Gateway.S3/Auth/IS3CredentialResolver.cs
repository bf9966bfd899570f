namespace Gateway.S3.Auth;

/// <summary>
/// The local credential policy: the secret key of an access key, decided without I/O. <see cref="S3Authenticator"/>
/// checks a signature with it before anything else hears of the key, so unsigned or badly signed requests cost no
/// call to a back end. A host that must also confirm the key elsewhere (the gateway asks pachd whether the key is a
/// live token) does so after authentication, with the identity the signature proved.
/// </summary>
public interface IS3CredentialResolver
{
    /// <summary>Returns the secret for <paramref name="accessKeyId"/>, or null to answer InvalidAccessKeyId.</summary>
    string? GetSecretKey(string accessKeyId);
}
