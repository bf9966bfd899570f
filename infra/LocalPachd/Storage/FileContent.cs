using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LocalPachd.Storage;

/// <summary>
/// The content of one file: its ordered chunks. Its id (also the file's FileInfo.hash) is the SHA-256 of the
/// concatenated chunk digests, so the same bytes written with the same chunking always get the same id.
/// </summary>
internal sealed class FileContent
{
    public static readonly FileContent Empty = new([]);

    public FileContent(ChunkRef[] chunks)
    {
        Chunks = chunks;
        long size = 0;
        Span<byte> digest = stackalloc byte[Hash256.Size];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var chunk in chunks)
        {
            size += chunk.Size;
            chunk.Hash.WriteTo(digest);
            hash.AppendData(digest);
        }

        hash.GetHashAndReset(digest);
        Id = Hash256.FromSpan(digest);
        Size = size;
    }

    public Hash256 Id { get; }

    public long Size { get; }

    public ChunkRef[] Chunks { get; }

    public FileContent Append(ReadOnlySpan<ChunkRef> more)
    {
        if (more.IsEmpty)
        {
            return this;
        }

        var all = new ChunkRef[Chunks.Length + more.Length];
        Chunks.CopyTo(all, 0);
        more.CopyTo(all.AsSpan(Chunks.Length));
        return new FileContent(all);
    }

    public byte[] EncodeChunks()
    {
        var bytes = new byte[Chunks.Length * ChunkRef.EncodedSize];
        var span = bytes.AsSpan();
        foreach (var chunk in Chunks)
        {
            chunk.Hash.WriteTo(span);
            BinaryPrimitives.WriteInt64LittleEndian(span[Hash256.Size..], chunk.Size);
            span = span[ChunkRef.EncodedSize..];
        }

        return bytes;
    }

    public static FileContent Decode(ReadOnlySpan<byte> encoded)
    {
        var chunks = new ChunkRef[encoded.Length / ChunkRef.EncodedSize];
        for (var i = 0; i < chunks.Length; i++)
        {
            var slice = encoded.Slice(i * ChunkRef.EncodedSize, ChunkRef.EncodedSize);
            chunks[i] = new ChunkRef(Hash256.FromSpan(slice), BinaryPrimitives.ReadInt64LittleEndian(slice[Hash256.Size..]));
        }

        return new FileContent(chunks);
    }
}
