using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;
using Google.Protobuf;

namespace Gateway.Core.Uploads;

/// <summary>One part as stored in the uploads repo.</summary>
/// <param name="Number">Part number.</param>
/// <param name="Path">The part file's path in the uploads repo.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Hash">pachd's content hash of the part.</param>
/// <param name="Uploaded">When the part was written (from its file name).</param>
/// <param name="Commit">The uploads-repo commit the part was listed at (copies read exactly this version).</param>
internal sealed record StoredPart(int Number, string Path, long Size, ByteString Hash, DateTimeOffset Uploaded, CommitRef Commit)
{
    /// <summary>The checksum the part's body was verified against, when the client sent one.</summary>
    public S3Checksum? Checksum { get; init; }

    /// <summary>The part's quoted ETag (the gateway's one ETag rule).</summary>
    public string ETag => Objects.ETag.FromHash(Hash);

    /// <summary>The part file as a copy source.</summary>
    public FileRef Source => new(Commit, Path);
}
