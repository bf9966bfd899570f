using System.Collections.Frozen;

namespace Gateway.S3.Routing;

/// <summary>
/// The query parameters each served operation takes, from its "URI Request Parameters" in the S3 API reference, and
/// the rule for every other parameter of a request:
/// <list type="bullet">
/// <item>always accepted: the authentication parameters (<c>X-Amz-*</c> and any hoisted <c>x-amz-*</c> header,
/// <c>AWSAccessKeyId</c>, <c>Signature</c>, <c>Expires</c>) and <c>x-id</c>, which SDKs add to name the operation;</item>
/// <item>refused (501 NotImplemented naming it): a sub-resource, that is a name S3 gives a resource or an operation
/// (<see cref="_subresources"/>), and any parameter without a value or with an empty one, which is how S3 names
/// sub-resources (<c>?acl</c>, <c>?uploads=</c>): the request asks for something this operation is not, and running
/// the plain operation instead (DeleteBucket for <c>DELETE /b?lifecycle</c>) would do what was not asked;</item>
/// <item>ignored: any other parameter with a value, as S3 ignores parameters an operation does not define
/// (a cache-busting <c>?v=2</c> on a GET, MinIO's <c>metadata=true</c> on a listing).</item>
/// </list>
/// </summary>
internal static class S3OperationParameters
{
    private static readonly string[] _responseOverrides =
    [
        "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires",
    ];

    private static readonly FrozenDictionary<S3Operation, FrozenSet<string>> _accepted = new Dictionary<S3Operation, string[]>
    {
        [S3Operation.ListBuckets] = ["bucket-region", "continuation-token", "max-buckets", "prefix"],
        [S3Operation.CreateBucket] = [],
        [S3Operation.DeleteBucket] = [],
        [S3Operation.HeadBucket] = [],
        [S3Operation.GetBucketLocation] = ["location"],
        [S3Operation.GetBucketVersioning] = ["versioning"],
        [S3Operation.PutBucketVersioning] = ["versioning"],

        // list-type other than 2 is version 1, as the classifier has always read it.
        [S3Operation.ListObjects] = ["delimiter", "encoding-type", "marker", "max-keys", "prefix", "list-type"],
        [S3Operation.ListObjectsV2] = ["list-type", "continuation-token", "delimiter", "encoding-type", "fetch-owner", "max-keys", "prefix", "start-after"],
        [S3Operation.ListObjectVersions] = ["versions", "delimiter", "encoding-type", "key-marker", "max-keys", "prefix", "version-id-marker"],
        [S3Operation.ListMultipartUploads] = ["uploads", "delimiter", "encoding-type", "key-marker", "max-uploads", "prefix", "upload-id-marker"],
        [S3Operation.DeleteObjects] = ["delete"],
        [S3Operation.GetObject] = ["partNumber", "versionId", .. _responseOverrides],
        [S3Operation.HeadObject] = ["partNumber", "versionId", .. _responseOverrides],
        [S3Operation.PutObject] = [],
        [S3Operation.CopyObject] = [],
        [S3Operation.DeleteObject] = ["versionId"],
        [S3Operation.CreateMultipartUpload] = ["uploads"],
        [S3Operation.UploadPart] = ["partNumber", "uploadId"],
        [S3Operation.UploadPartCopy] = ["partNumber", "uploadId"],
        [S3Operation.CompleteMultipartUpload] = ["uploadId"],
        [S3Operation.AbortMultipartUpload] = ["uploadId"],
        [S3Operation.ListParts] = ["uploadId", "max-parts", "part-number-marker"],
        [S3Operation.GetObjectTagging] = ["tagging", "versionId"],
        [S3Operation.PutObjectTagging] = ["tagging", "versionId"],
        [S3Operation.DeleteObjectTagging] = ["tagging", "versionId"],
    }.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal));

    /// <summary>
    /// Names that select an S3 resource or operation whatever their value: those of the operations served here, the
    /// unserved ones (<see cref="S3OperationClassifier.UnsupportedSubresources"/>) and SigV2's signed sub-resources.
    /// </summary>
    private static readonly FrozenSet<string> _subresources = S3OperationClassifier.UnsupportedSubresources
        .Concat(["delete", "list-type", "location", "partNumber", "tagging", "uploadId", "uploads", "versionId", "versioning", "versions"])
        .ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> _authentication = FrozenSet.Create(StringComparer.Ordinal, "AWSAccessKeyId", "Signature", "Expires", "x-id");

    /// <summary>True when <paramref name="operation"/> has a list of parameters here.</summary>
    public static bool Covers(S3Operation operation) => _accepted.ContainsKey(operation);

    /// <summary>The first parameter of <paramref name="query"/> that <paramref name="operation"/> refuses, or null.</summary>
    public static string? FindRefused(S3Operation operation, S3Query query)
    {
        if (!_accepted.TryGetValue(operation, out var accepted))
        {
            return null;
        }

        foreach (var p in query)
        {
            if (accepted.Contains(p.Name) || IsAuthentication(p.Name))
            {
                continue;
            }

            if (_subresources.Contains(p.Name) || p.Value.Length == 0)
            {
                return p.Name;
            }
        }

        return null;
    }

    private static bool IsAuthentication(string name) =>
        _authentication.Contains(name) || name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase);
}
