using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;
using Gateway.S3.Http;
using Google.Protobuf;

namespace Gateway.Core.Uploads;

/// <summary>One part as stored on the bucket's gateway branch.</summary>
/// <param name="Number">Part number.</param>
/// <param name="Path">The part file's path on the gateway branch.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Hash">pachd's content hash of the part.</param>
/// <param name="Uploaded">When the part was written (from its file name).</param>
/// <param name="Commit">The gateway-branch commit the part was listed at (copies read exactly this version).</param>
internal sealed record StoredPart(int Number, string Path, long Size, ByteString Hash, DateTimeOffset Uploaded, CommitRef Commit)
{
    /// <summary>The checksum the part's body was verified against, when the client sent one.</summary>
    public S3Checksum? Checksum { get; init; }

    /// <summary>The MD5 of the part's bytes, when the gateway saw them (every UploadPart, ranged UploadPartCopy).</summary>
    public byte[]? Md5 { get; init; }

    /// <summary>The part's quoted ETag: the MD5 of its bytes as S3 answers, else the content-derived form.</summary>
    public string ETag => Md5 is { } md5 ? ETags.FromMd5(md5) : Objects.ETag.FromHash(Hash);

    /// <summary>The part file as a copy source.</summary>
    public FileRef Source => new(Commit, Path);
}
