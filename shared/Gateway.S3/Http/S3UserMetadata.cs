using System.Text;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>User-defined metadata carried in <c>x-amz-meta-*</c> headers.</summary>
public static class S3UserMetadata
{
    /// <summary>Header prefix.</summary>
    public const string Prefix = "x-amz-meta-";

    /// <summary>S3's limit on the total size of user metadata (names and values, UTF-8 bytes).</summary>
    public const int MaxTotalBytes = 2048;

    /// <summary>
    /// Extracts metadata from request headers: names lower-cased without the prefix; repeated headers
    /// joined with ','. Above 2 KB in total → MetadataTooLarge.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FromHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var (name, values) in headers)
        {
            if (name.Length <= Prefix.Length || !name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name[Prefix.Length..].ToLowerInvariant();
            var value = string.Join(',', values.Select(v => v ?? string.Empty));
            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
            result[key] = value;
        }

        if (total > MaxTotalBytes)
        {
            throw new S3Exception(S3Errors.MetadataTooLarge)
                .WithDetail("Size", total.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithDetail("MaxSizeAllowed", MaxTotalBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }
}
