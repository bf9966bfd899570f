using System.Security.Cryptography;

namespace Gateway.Core.Uploads;

/// <summary>Upload ids: 32 random lower-case hex characters (128 bits), unguessable and path-safe.</summary>
internal static class UploadIds
{
    /// <summary>A new random id.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A short random nonce for part file names.</summary>
    public static string Nonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>
    /// True for ids this gateway could have issued. Anything else is NoSuchUpload without asking pachd, which also
    /// keeps client text out of PFS paths.
    /// </summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != 32)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
