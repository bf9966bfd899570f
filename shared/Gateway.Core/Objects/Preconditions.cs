using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Core.Objects;

/// <summary>
/// GET/HEAD conditionals in S3's order: If-Match (else If-Unmodified-Since) → 412; If-None-Match (else
/// If-Modified-Since) → 304. ETags compare without quotes; times at whole-second precision.
/// </summary>
internal static class Preconditions
{
    /// <summary>Throws PreconditionFailed or NotModified when a condition says so.</summary>
    public static void Check(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var headers = request.Headers;
        var ifMatch = headers.IfMatch.ToString();
        if (ifMatch.Length > 0)
        {
            if (!Matches(ifMatch, etag))
            {
                throw new S3Exception(S3Errors.PreconditionFailed);
            }
        }
        else if (lastModified is { } lm && TryDate(headers.IfUnmodifiedSince.ToString(), out var since) && Truncate(lm) > since)
        {
            throw new S3Exception(S3Errors.PreconditionFailed);
        }

        var ifNoneMatch = headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
        {
            if (Matches(ifNoneMatch, etag))
            {
                throw NotModified(etag, lastModified);
            }
        }
        else if (lastModified is { } lm && TryDate(headers.IfModifiedSince.ToString(), out var modifiedSince) && Truncate(lm) <= modifiedSince)
        {
            throw NotModified(etag, lastModified);
        }
    }

    /// <summary>True when a list of entity tags (or *) contains <paramref name="etag"/>.</summary>
    internal static bool Matches(string header, string etag)
    {
        var bare = etag.Trim('"');
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (candidate == "*" || string.Equals(candidate.Trim('"'), bare, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static S3Exception NotModified(string etag, DateTimeOffset? lastModified)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["ETag"] = etag };
        if (lastModified is { } lm)
        {
            headers["Last-Modified"] = HeaderUtilities.FormatDate(lm);
        }

        return new S3Exception(S3Errors.NotModified) { Headers = headers };
    }

    private static bool TryDate(string value, out DateTimeOffset date)
    {
        date = default;
        return value.Length > 0 && HeaderUtilities.TryParseDate(value, out date);
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Offset);
}
