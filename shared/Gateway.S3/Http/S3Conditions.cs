using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.S3.Http;

/// <summary>
/// Conditional request evaluation with S3's precedence: If-Match beats a failing
/// If-Unmodified-Since; If-None-Match beats a passing If-Modified-Since. Times compare at
/// one-second granularity; ETags compare without quotes.
/// </summary>
public static class S3Conditions
{
    /// <summary>
    /// Evaluates If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since for a read
    /// (<paramref name="isRead"/>: GET/HEAD, where a matching If-None-Match or an unmodified
    /// If-Modified-Since gives 304). Throws PreconditionFailed (412) or NotModified (304, with ETag and
    /// Last-Modified headers) — or returns when the request may proceed.
    /// </summary>
    public static void Evaluate(IHeaderDictionary headers, string etag, DateTimeOffset lastModified, bool isRead = true)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(etag);
        var outcome = Decide(
            headers[HeaderNames.IfMatch].ToString(),
            headers[HeaderNames.IfNoneMatch].ToString(),
            headers[HeaderNames.IfModifiedSince].ToString(),
            headers[HeaderNames.IfUnmodifiedSince].ToString(),
            etag,
            lastModified,
            isRead);
        switch (outcome)
        {
            case S3Error e when e == S3Errors.NotModified:
                throw new S3Exception(S3Errors.NotModified)
                {
                    Headers = new Dictionary<string, string>
                    {
                        [HeaderNames.ETag] = ETags.Quote(etag),
                        [HeaderNames.LastModified] = HttpDates.Format(lastModified),
                    },
                };
            case S3Error e:
                throw new S3Exception(e);
            default:
                return;
        }
    }

    /// <summary>
    /// Evaluates <c>x-amz-copy-source-if-*</c> headers of CopyObject / UploadPartCopy; every failure is
    /// PreconditionFailed (412).
    /// </summary>
    public static void EvaluateCopySource(IHeaderDictionary headers, string etag, DateTimeOffset lastModified)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(etag);
        var outcome = Decide(
            headers["x-amz-copy-source-if-match"].ToString(),
            headers["x-amz-copy-source-if-none-match"].ToString(),
            headers["x-amz-copy-source-if-modified-since"].ToString(),
            headers["x-amz-copy-source-if-unmodified-since"].ToString(),
            etag,
            lastModified,
            isRead: false);
        if (outcome is not null)
        {
            throw new S3Exception(S3Errors.PreconditionFailed);
        }
    }

    /// <summary>
    /// Conditional writes (PutObject / CompleteMultipartUpload): <c>If-None-Match: *</c> fails with 412
    /// when the object exists; <c>If-Match</c> fails with 404 NoSuchKey when it does not exist and 412
    /// when the ETag differs.
    /// </summary>
    public static void EvaluateWrite(IHeaderDictionary headers, bool exists, string? currentETag)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var ifNoneMatch = headers[HeaderNames.IfNoneMatch].ToString();
        if (ifNoneMatch.Length > 0 && exists && (ifNoneMatch.Trim() == "*" || (currentETag is not null && ETags.ListMatches(ifNoneMatch, currentETag))))
        {
            throw new S3Exception(S3Errors.PreconditionFailed);
        }

        var ifMatch = headers[HeaderNames.IfMatch].ToString();
        if (ifMatch.Length > 0)
        {
            if (!exists)
            {
                throw new S3Exception(S3Errors.NoSuchKey);
            }

            if (ifMatch.Trim() != "*" && (currentETag is null || !ETags.ListMatches(ifMatch, currentETag)))
            {
                throw new S3Exception(S3Errors.PreconditionFailed);
            }
        }
    }

    /// <summary>The decision: null (proceed), PreconditionFailed or NotModified.</summary>
    internal static S3Error? Decide(string ifMatch, string ifNoneMatch, string ifModifiedSince, string ifUnmodifiedSince, string etag, DateTimeOffset lastModified, bool isRead)
    {
        var modified = TruncateToSeconds(lastModified);
        if (ifMatch.Length > 0)
        {
            if (!ETags.ListMatches(ifMatch, etag))
            {
                return S3Errors.PreconditionFailed;
            }
        }
        else if (HttpDates.TryParse(ifUnmodifiedSince, out var unmodifiedSince) && modified > TruncateToSeconds(unmodifiedSince))
        {
            return S3Errors.PreconditionFailed;
        }

        if (ifNoneMatch.Length > 0)
        {
            if (ETags.ListMatches(ifNoneMatch, etag))
            {
                return isRead ? S3Errors.NotModified : S3Errors.PreconditionFailed;
            }
        }
        else if (HttpDates.TryParse(ifModifiedSince, out var modifiedSince) && modified <= TruncateToSeconds(modifiedSince))
        {
            return isRead ? S3Errors.NotModified : S3Errors.PreconditionFailed;
        }

        return null;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
