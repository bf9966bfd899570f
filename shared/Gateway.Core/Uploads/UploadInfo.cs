using Gateway.Core.Naming;

namespace Gateway.Core.Uploads;

/// <summary>An upload that exists in the uploads repo.</summary>
/// <param name="Bucket">The destination bucket.</param>
/// <param name="Key">The destination key.</param>
/// <param name="UploadId">The upload id.</param>
/// <param name="Initiated">When CreateMultipartUpload ran.</param>
/// <param name="ManifestPath">The manifest's path on the gateway branch.</param>
internal sealed record UploadInfo(BucketAddress Bucket, string Key, string UploadId, DateTimeOffset Initiated, string ManifestPath)
{
    /// <summary>The upload's directory on the gateway branch.</summary>
    public string Directory => UploadLayout.UploadDirectory(Key, UploadId);
}
