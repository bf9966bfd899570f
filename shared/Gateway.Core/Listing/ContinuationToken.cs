using System.Buffers.Text;
using System.Text;
using Gateway.S3.Errors;

namespace Gateway.Core.Listing;

/// <summary>
/// ListObjectsV2 continuation tokens: the stored path (without its '/') of the last key or common prefix of the
/// previous page, versioned and base64url-encoded so that clients treat it as opaque. The listing resumes at pachd
/// just after that path.
/// </summary>
internal static class ContinuationToken
{
    private const string _version = "2:";

    /// <summary>The token for a page that ended at the stored path <paramref name="lastStoredEntry"/>.</summary>
    public static string Encode(string lastStoredEntry) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(_version + lastStoredEntry));

    /// <summary>The stored path a token resumes after; InvalidArgument when it is not one of ours.</summary>
    public static string Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(_version, StringComparison.Ordinal))
            {
                return text[_version.Length..];
            }
        }
        catch (FormatException)
        {
            // fall through to the S3 error
        }

        throw S3Exception.InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }
}
