using System.Buffers;
using Gateway.S3.Errors;

namespace Gateway.S3.Auth.SigV4;

/// <summary>
/// The parsed <c>Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...</c> header.
/// Components may be separated by ',' with or without spaces, in any order.
/// </summary>
public sealed class SigV4AuthorizationHeader
{
    /// <summary>The algorithm name that starts the header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    private const string _algorithmAndSpace = Algorithm + " ";
    private static readonly SearchValues<char> _hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private SigV4AuthorizationHeader(SigV4Credential credential, IReadOnlyList<string> signedHeaders, string signedHeadersRaw, string signature)
    {
        Credential = credential;
        SignedHeaders = signedHeaders;
        SignedHeadersRaw = signedHeadersRaw;
        Signature = signature;
    }

    /// <summary>The credential.</summary>
    public SigV4Credential Credential { get; }

    /// <summary>Signed header names (lower case, in the order given).</summary>
    public IReadOnlyList<string> SignedHeaders { get; }

    /// <summary>The SignedHeaders value as sent (used verbatim in the canonical request).</summary>
    public string SignedHeadersRaw { get; }

    /// <summary>The signature (hex) the client sent.</summary>
    public string Signature { get; }

    /// <summary>Parses a header value that starts with <see cref="Algorithm"/>.</summary>
    public static SigV4AuthorizationHeader Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith(_algorithmAndSpace, StringComparison.Ordinal))
        {
            throw Malformed("the authorization header must start with AWS4-HMAC-SHA256.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        var components = value.AsSpan(_algorithmAndSpace.Length);
        foreach (var range in components.Split(','))
        {
            var part = components[range].Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                throw Malformed($"the authorization component \"{part}\" is malformed.");
            }

            var name = part[..eq];
            var v = part[(eq + 1)..];
            switch (name)
            {
                case "Credential":
                    credential = v.ToString();
                    break;
                case "SignedHeaders":
                    signedHeaders = v.ToString();
                    break;
                case "Signature":
                    signature = v.ToString();
                    break;
                default:
                    throw Malformed($"the authorization component \"{name}\" is not recognised.");
            }
        }

        if (credential is null || signedHeaders is null || signature is null)
        {
            throw Malformed("the authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }

        var parsed = SigV4Credential.Parse(credential, S3Errors.AuthorizationHeaderMalformed);
        var names = signedHeaders.Split(';');
        foreach (var n in names)
        {
            if (n.Length == 0 || !string.Equals(n, n.ToLowerInvariant(), StringComparison.Ordinal))
            {
                throw Malformed("the SignedHeaders component must be a ';'-separated list of lower-case header names.");
            }
        }

        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw Malformed("the 'host' header must be signed.");
        }

        if (signature.Length != 64 || signature.AsSpan().ContainsAnyExcept(_hexDigits))
        {
            // A signature of the wrong shape can never match; AWS answers SignatureDoesNotMatch too.
            throw new S3Exception(S3Errors.SignatureDoesNotMatch);
        }

        return new SigV4AuthorizationHeader(parsed, names, signedHeaders, signature.ToLowerInvariant());
    }

    private static S3Exception Malformed(string detail) =>
        new(S3Errors.AuthorizationHeaderMalformed, "The authorization header is malformed; " + detail);
}
