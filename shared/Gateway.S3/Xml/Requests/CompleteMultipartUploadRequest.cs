using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Requests;

/// <summary>One part named in a CompleteMultipartUpload body.</summary>
/// <param name="PartNumber">Part number (1-10000).</param>
/// <param name="ETag">ETag as sent (may be quoted or not).</param>
/// <param name="Checksums">Checksum elements of the part, if any.</param>
public sealed record S3CompletedPart(int PartNumber, string ETag, IReadOnlyList<S3Checksum> Checksums);

/// <summary>Parsed <c>&lt;CompleteMultipartUpload&gt;&lt;Part&gt;...&lt;/Part&gt;+&lt;/CompleteMultipartUpload&gt;</c>; parts strictly ascending.</summary>
/// <param name="Parts">The parts.</param>
public sealed record CompleteMultipartUploadRequest(IReadOnlyList<S3CompletedPart> Parts);
