using Gateway.S3.Checksums;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>
/// GetObject/HeadObject's stored checksum: sent only when the request has <c>x-amz-checksum-mode: ENABLED</c>,
/// as <c>x-amz-checksum-&lt;algorithm&gt;</c> plus <c>x-amz-checksum-type</c> (<c>FULL_OBJECT</c> or <c>COMPOSITE</c>).
/// </summary>
public static class S3ChecksumHeaders
{
    /// <summary>Request header asking for the checksum.</summary>
    public const string ModeHeaderName = "x-amz-checksum-mode";

    /// <summary>The one value of <see cref="ModeHeaderName"/> S3 defines.</summary>
    public const string ModeEnabled = "ENABLED";

    /// <summary>True when <paramref name="requestHeaders"/> carry <c>x-amz-checksum-mode: ENABLED</c> (case-insensitive).</summary>
    public static bool IsModeEnabled(IHeaderDictionary requestHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        return string.Equals(requestHeaders[ModeHeaderName].ToString().Trim(), ModeEnabled, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes <c>x-amz-checksum-&lt;algorithm&gt;: value</c> and <c>x-amz-checksum-type</c>.</summary>
    public static void Apply(IHeaderDictionary responseHeaders, S3StoredChecksum checksum)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        ArgumentNullException.ThrowIfNull(checksum);
        responseHeaders[checksum.Checksum.HeaderName] = checksum.Checksum.Base64;
        responseHeaders[S3ChecksumTypes.HeaderName] = S3ChecksumTypes.WireName(checksum.Type);
    }

    /// <summary>
    /// Writes <paramref name="checksum"/> (when there is one) if <paramref name="request"/> asked for it with
    /// <c>x-amz-checksum-mode: ENABLED</c>; returns whether anything was written.
    /// </summary>
    public static bool ApplyIfRequested(HttpRequest request, IHeaderDictionary responseHeaders, S3StoredChecksum? checksum)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (checksum is null || !IsModeEnabled(request.Headers))
        {
            return false;
        }

        Apply(responseHeaders, checksum);
        return true;
    }
}
