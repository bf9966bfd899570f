namespace Gateway.S3.Routing;

/// <summary>The S3 operations a request can be classified as (see <see cref="S3OperationClassifier"/>).</summary>
public enum S3Operation
{
    /// <summary>Not yet classified.</summary>
    Unknown = 0,

    /// <summary>GET /</summary>
    ListBuckets,

    /// <summary>PUT /bucket</summary>
    CreateBucket,

    /// <summary>DELETE /bucket</summary>
    DeleteBucket,

    /// <summary>HEAD /bucket</summary>
    HeadBucket,

    /// <summary>GET /bucket?location</summary>
    GetBucketLocation,

    /// <summary>GET /bucket?versioning</summary>
    GetBucketVersioning,

    /// <summary>PUT /bucket?versioning</summary>
    PutBucketVersioning,

    /// <summary>GET /bucket</summary>
    ListObjects,

    /// <summary>GET /bucket?list-type=2</summary>
    ListObjectsV2,

    /// <summary>GET /bucket?versions</summary>
    ListObjectVersions,

    /// <summary>GET /bucket?uploads</summary>
    ListMultipartUploads,

    /// <summary>POST /bucket?delete</summary>
    DeleteObjects,

    /// <summary>GET /bucket/key</summary>
    GetObject,

    /// <summary>HEAD /bucket/key</summary>
    HeadObject,

    /// <summary>PUT /bucket/key</summary>
    PutObject,

    /// <summary>PUT /bucket/key with x-amz-copy-source</summary>
    CopyObject,

    /// <summary>DELETE /bucket/key</summary>
    DeleteObject,

    /// <summary>POST /bucket/key?uploads</summary>
    CreateMultipartUpload,

    /// <summary>PUT /bucket/key?partNumber&amp;uploadId</summary>
    UploadPart,

    /// <summary>PUT /bucket/key?partNumber&amp;uploadId with x-amz-copy-source</summary>
    UploadPartCopy,

    /// <summary>POST /bucket/key?uploadId</summary>
    CompleteMultipartUpload,

    /// <summary>DELETE /bucket/key?uploadId</summary>
    AbortMultipartUpload,

    /// <summary>GET /bucket/key?uploadId</summary>
    ListParts,

    /// <summary>GET /bucket/key?tagging</summary>
    GetObjectTagging,

    /// <summary>PUT /bucket/key?tagging</summary>
    PutObjectTagging,

    /// <summary>DELETE /bucket/key?tagging</summary>
    DeleteObjectTagging,

    /// <summary>A real S3 operation (sub-resource) this gateway does not serve: answer 501 NotImplemented.</summary>
    NotImplemented,

    /// <summary>No operation for this method on this resource: answer 405 MethodNotAllowed.</summary>
    MethodNotAllowed,
}
