namespace Gateway.S3.Checksums;

/// <summary>How an object's checksum relates to its data (<c>x-amz-checksum-type</c>).</summary>
public enum S3ChecksumType
{
    /// <summary><c>FULL_OBJECT</c>: the checksum of the whole object (always so for PutObject; CRCs of multipart objects).</summary>
    FullObject,

    /// <summary><c>COMPOSITE</c>: the checksum of the parts' checksums, written with a <c>-N</c> part-count suffix.</summary>
    Composite,
}
