using System.Collections.Frozen;
using Gateway.Core.Buckets;
using Gateway.Core.Copy;
using Gateway.Core.History;
using Gateway.Core.Listing;
using Gateway.Core.Metadata;
using Gateway.Core.Objects;
using Gateway.Core.Service;
using Gateway.Core.Uploads;
using Gateway.S3;
using Gateway.S3.Routing;
using Microsoft.Extensions.Logging;
using static Gateway.Core.Pipeline.OperationAccess;

namespace Gateway.Core.Pipeline;

/// <summary>
/// Every S3 operation the gateway serves, one row each: the class that runs it and its request policy. An
/// operation the classifier names without a row here would be answered 501 NotImplemented.
/// Adding an operation is one class and one row here (docs/ARCHITECTURE.md shows how).
/// </summary>
internal sealed class OperationTable
{
    private readonly FrozenDictionary<S3Operation, OperationEntry> _rows;

    public OperationTable(GatewayOptions options, S3ProtocolOptions s3Options, TimeProvider time, ILogger logger)
    {
        var xml = s3Options.MaxXmlBodyBytes;
        var maxObject = options.MaxObjectSize;
        var records = new RecordGroupCommit();
        var uploads = new UploadExpiry(TimeSpan.FromDays(Math.Max(0, options.UploadExpiryDays)), time, new HistoryTrimmer(time, logger));
        OperationEntry[] rows =
        [
            Row(S3Operation.ListBuckets, new ListBucketsOperation(options.Location), Read, needsBucket: false),

            Row(S3Operation.CreateBucket, new CreateBucketOperation(xml, options.Location), Write),
            Row(S3Operation.DeleteBucket, new DeleteBucketOperation(), Write),
            Row(S3Operation.HeadBucket, new HeadBucketOperation(), Read),
            Row(S3Operation.GetBucketLocation, new GetBucketLocationOperation(options.Location), Read),
            Row(S3Operation.GetBucketVersioning, new GetBucketVersioningOperation(), Read),
            Row(S3Operation.PutBucketVersioning, new PutBucketVersioningOperation(xml), Write),
            Row(S3Operation.ListObjects, new ListObjectsOperation(v2: false), Read),
            Row(S3Operation.ListObjectsV2, new ListObjectsOperation(v2: true), Read),
            Row(S3Operation.ListObjectVersions, new ListObjectVersionsOperation(), Read),
            Row(S3Operation.ListMultipartUploads, new ListMultipartUploadsOperation(uploads), Read),
            Row(S3Operation.DeleteObjects, new DeleteObjectsOperation(xml), Write),

            Row(S3Operation.GetObject, new GetObjectOperation(sendBody: true), Read),
            Row(S3Operation.HeadObject, new GetObjectOperation(sendBody: false), Read),
            Row(S3Operation.GetObjectTagging, new GetObjectTaggingOperation(), Read),
            Row(S3Operation.PutObjectTagging, new SetObjectTaggingOperation(xml, delete: false), Write),
            Row(S3Operation.DeleteObjectTagging, new SetObjectTaggingOperation(xml, delete: true), Write),
            Row(S3Operation.PutObject, new PutObjectOperation(maxObject, records, logger), Write, RequestBodyKind.Object),
            Row(S3Operation.CopyObject, new CopyObjectOperation(time, records, logger), Write),
            Row(S3Operation.DeleteObject, new DeleteObjectOperation(), Write),

            Row(S3Operation.CreateMultipartUpload, new CreateMultipartUploadOperation(time, uploads, logger), Write),
            Row(S3Operation.UploadPart, new UploadPartOperation(maxObject, time, uploads, logger), Write, RequestBodyKind.Object),
            Row(S3Operation.UploadPartCopy, new UploadPartCopyOperation(maxObject, time, uploads, logger), Write),
            Row(S3Operation.CompleteMultipartUpload, new CompleteMultipartUploadOperation(xml, time, uploads, logger), Write),
            Row(S3Operation.AbortMultipartUpload, new AbortMultipartUploadOperation(uploads, logger), Write),
            Row(S3Operation.ListParts, new ListPartsOperation(uploads), Read),
        ];
        _rows = rows.ToFrozenDictionary(row => row.Operation);
    }

    /// <summary>The row of <paramref name="operation"/>, or null when the gateway does not serve it.</summary>
    public OperationEntry? Find(S3Operation operation) => _rows.GetValueOrDefault(operation);

    private static OperationEntry Row(S3Operation operation, IGatewayOperation handler, OperationAccess access,
        RequestBodyKind body = RequestBodyKind.Xml, bool needsBucket = true) =>
        new(operation, handler, needsBucket, access, body);
}
