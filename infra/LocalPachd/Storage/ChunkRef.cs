namespace LocalPachd.Storage;

/// <summary>One content-addressed piece of a file: the SHA-256 of its bytes and its length.</summary>
internal readonly record struct ChunkRef(Hash256 Hash, long Size)
{
    public const int EncodedSize = Hash256.Size + sizeof(long);
}
