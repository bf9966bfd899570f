using Gateway.Core.Pipeline;
using Gateway.S3.Http;

namespace Gateway.Core.Objects;

/// <summary>
/// Conditional writes (<c>If-None-Match: *</c>, <c>If-Match</c>) of PutObject and CompleteMultipartUpload against
/// the current object. PFS has no compare-and-swap, so this narrows the race rather than closing it; it costs one
/// InspectFile and only when a condition is present.
/// </summary>
internal static class WriteConditions
{
    /// <summary>PreconditionFailed (412) when a condition the request sent does not hold for the object at <paramref name="key"/>.</summary>
    public static async Task CheckAsync(S3Call call, string key, CancellationToken cancellationToken)
    {
        var headers = call.Request.Headers;
        if (headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0)
        {
            return;
        }

        var current = await ObjectLookup.FindCurrentAsync(call.Pach, call.RequiredBucket, key, cancellationToken, withRecord: true).ConfigureAwait(false);
        S3Conditions.EvaluateWrite(headers, current is not null, current?.ETag);
    }
}
