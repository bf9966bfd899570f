using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;

namespace ChecksumBench.Baseline;

/// <summary>
/// The gateway's former hand-written CRC-32C (Castagnoli), kept verbatim (only renamed) as the benchmark's
/// baseline: <see cref="BitOperations.Crc32C(uint, ulong)"/> over 8-byte words, hardware-accelerated on x64
/// (SSE4.2) and Arm64. Digest is written big-endian, as S3 encodes it.
/// </summary>
internal sealed class HandWrittenCrc32C : NonCryptographicHashAlgorithm
{
    private uint _crc = uint.MaxValue;

    /// <summary>Creates the hasher.</summary>
    public HandWrittenCrc32C()
        : base(4)
    {
    }

    /// <summary>The current CRC value.</summary>
    public uint GetCurrentHashAsUInt32() => ~_crc;

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint HashToUInt32(ReadOnlySpan<byte> data)
    {
        var c = new HandWrittenCrc32C();
        c.Append(data);
        return c.GetCurrentHashAsUInt32();
    }

    /// <inheritdoc />
    public override void Append(ReadOnlySpan<byte> source)
    {
        var crc = _crc;
        while (source.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(source));
            source = source[8..];
        }

        foreach (var b in source)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        _crc = crc;
    }

    /// <inheritdoc />
    public override void Reset() => _crc = uint.MaxValue;

    /// <inheritdoc />
    protected override void GetCurrentHashCore(Span<byte> destination) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, GetCurrentHashAsUInt32());
}
