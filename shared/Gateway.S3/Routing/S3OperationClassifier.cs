using System.Collections.Frozen;
using Gateway.S3.Errors;

namespace Gateway.S3.Routing;

/// <summary>
/// Maps method + resource level + query + <c>x-amz-copy-source</c> to an <see cref="S3Operation"/>.
/// The rules are tables read top to bottom; the first matching row wins. The operation found must then take every
/// parameter of the query (<see cref="S3OperationParameters"/>): a sub-resource it does not take, or a parameter
/// without a value, makes the request NotImplemented rather than the plain operation (<c>DELETE /b?lifecycle</c> is
/// never DeleteBucket); other parameters with values are ignored, as S3 ignores them.
/// </summary>
public static class S3OperationClassifier
{
    private enum Level
    {
        Service,
        Bucket,
        Object,
    }

    /// <summary>
    /// One row: method, level, required query parameter (presence), optional required value, copy-source requirement.
    /// UploadPart needs only <c>uploadId</c> here; a missing or bad <c>partNumber</c> is an InvalidArgument the operation reports.
    /// </summary>
    private sealed record Rule(string Method, Level Level, S3Operation Operation, string? Param = null, string? ParamValue = null, bool? CopySource = null);

    private static readonly Rule[] _rules =
    [
        new("GET", Level.Service, S3Operation.ListBuckets),

        new("GET", Level.Bucket, S3Operation.GetBucketLocation, "location"),
        new("GET", Level.Bucket, S3Operation.GetBucketVersioning, "versioning"),
        new("PUT", Level.Bucket, S3Operation.PutBucketVersioning, "versioning"),
        new("GET", Level.Bucket, S3Operation.ListObjectVersions, "versions"),
        new("GET", Level.Bucket, S3Operation.ListMultipartUploads, "uploads"),
        new("POST", Level.Bucket, S3Operation.DeleteObjects, "delete"),
        new("GET", Level.Bucket, S3Operation.ListObjectsV2, "list-type", "2"),
        new("GET", Level.Bucket, S3Operation.ListObjects),
        new("HEAD", Level.Bucket, S3Operation.HeadBucket),
        new("PUT", Level.Bucket, S3Operation.CreateBucket),
        new("DELETE", Level.Bucket, S3Operation.DeleteBucket),

        new("POST", Level.Object, S3Operation.CreateMultipartUpload, "uploads"),
        new("POST", Level.Object, S3Operation.CompleteMultipartUpload, "uploadId"),
        new("PUT", Level.Object, S3Operation.UploadPartCopy, "uploadId", CopySource: true),
        new("PUT", Level.Object, S3Operation.UploadPart, "uploadId"),
        new("DELETE", Level.Object, S3Operation.AbortMultipartUpload, "uploadId"),
        new("GET", Level.Object, S3Operation.ListParts, "uploadId"),
        new("GET", Level.Object, S3Operation.GetObjectTagging, "tagging"),
        new("PUT", Level.Object, S3Operation.PutObjectTagging, "tagging"),
        new("DELETE", Level.Object, S3Operation.DeleteObjectTagging, "tagging"),
        new("GET", Level.Object, S3Operation.GetObject),
        new("HEAD", Level.Object, S3Operation.HeadObject),
        new("PUT", Level.Object, S3Operation.CopyObject, CopySource: true),
        new("PUT", Level.Object, S3Operation.PutObject),
        new("DELETE", Level.Object, S3Operation.DeleteObject),
    ];

    /// <summary>
    /// S3 sub-resources (query names) of operations this gateway does not serve; any of them → 501, unless a rule
    /// above serves that sub-resource for the request's method and level (an object's <c>?tagging</c>).
    /// </summary>
    public static FrozenSet<string> UnsupportedSubresources { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering", "inventory",
        "legal-hold", "lifecycle", "logging", "metadataConfiguration", "metadataInventoryTable", "metadataJournalTable",
        "metadataTable", "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
        "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
        "select-type", "session", "tagging", "torrent", "website", "abac");

    private static readonly FrozenSet<string> _knownMethods = FrozenSet.Create(StringComparer.Ordinal, "GET", "HEAD", "PUT", "POST", "DELETE");

    /// <summary>Classifies a request.</summary>
    /// <param name="method">HTTP method (upper case as sent).</param>
    /// <param name="hasBucket">Whether the target names a bucket.</param>
    /// <param name="hasKey">Whether the target names a key.</param>
    /// <param name="query">The parsed query.</param>
    /// <param name="hasCopySource">Whether an <c>x-amz-copy-source</c> header is present.</param>
    public static S3OperationMatch Classify(string method, bool hasBucket, bool hasKey, S3Query query, bool hasCopySource)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(query);
        var level = !hasBucket ? Level.Service : hasKey ? Level.Object : Level.Bucket;

        if (level != Level.Service && _knownMethods.Contains(method))
        {
            foreach (var p in query)
            {
                if (UnsupportedSubresources.Contains(p.Name) && !IsServed(method, level, p.Name))
                {
                    return new S3OperationMatch(S3Operation.NotImplemented, p.Name);
                }
            }
        }

        foreach (var rule in _rules)
        {
            if (rule.Level != level || !string.Equals(rule.Method, method, StringComparison.Ordinal))
            {
                continue;
            }

            if (rule.Param is not null)
            {
                var value = query.Get(rule.Param);
                if (value is null || (rule.ParamValue is not null && !string.Equals(value, rule.ParamValue, StringComparison.Ordinal)))
                {
                    continue;
                }
            }

            if (rule.CopySource is bool wantCopy && wantCopy != hasCopySource)
            {
                continue;
            }

            return S3OperationParameters.FindRefused(rule.Operation, query) is { } refused
                ? new S3OperationMatch(S3Operation.NotImplemented, refused)
                : new S3OperationMatch(rule.Operation);
        }

        // POST /bucket without ?delete is the browser form upload; POST to an object without a
        // multipart sub-resource has no S3 meaning beyond restore/select (handled above).
        if (level == Level.Bucket && string.Equals(method, "POST", StringComparison.Ordinal))
        {
            return new S3OperationMatch(S3Operation.NotImplemented, "POST Object (browser form upload)");
        }

        return new S3OperationMatch(S3Operation.MethodNotAllowed);
    }

    private static bool IsServed(string method, Level level, string subresource)
    {
        foreach (var rule in _rules)
        {
            if (rule.Level == level && rule.Param == subresource && string.Equals(rule.Method, method, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Classifies a parsed target plus the request's method and headers.</summary>
    public static S3OperationMatch Classify(string method, S3RequestTarget target, bool hasCopySource)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Classify(method, target.Bucket is not null, target.Key is not null, target.Query, hasCopySource);
    }

    /// <summary>
    /// Throws the S3 error that answers an unserved match: 501 NotImplemented naming the sub-resource, or 405
    /// MethodNotAllowed naming the method and resource type (SERVICE, BUCKET, OBJECT) as AWS does; returns otherwise.
    /// </summary>
    public static void ThrowIfUnserved(S3OperationMatch match, string method, S3RequestTarget target)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        switch (match.Operation)
        {
            case S3Operation.NotImplemented:
                throw S3Exception.NotImplemented(match.Feature is null ? "This operation" : $"The '{match.Feature}' sub-resource");
            case S3Operation.MethodNotAllowed:
            case S3Operation.Unknown:
                var resourceType = target.Bucket is null ? "SERVICE" : target.Key is null ? "BUCKET" : "OBJECT";
                throw new S3Exception(S3Errors.MethodNotAllowed)
                    .WithDetail("Method", method)
                    .WithDetail("ResourceType", resourceType);
            default:
                return;
        }
    }
}
