using System.Buffers.Binary;
using System.IO.Hashing;

namespace ChecksumBench.Baseline;

/// <summary>
/// The gateway's former hand-written CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, init and xor-out
/// all ones; check value 0xAE8B14860A799888 for "123456789"), kept verbatim (only renamed) as the benchmark's
/// baseline: a scalar slice-by-8 table implementation. Digest is written big-endian, as S3 encodes it.
/// </summary>
internal sealed class HandWrittenCrc64Nvme : NonCryptographicHashAlgorithm
{
    private const ulong _reflectedPolynomial = 0x9A6C9329AC4BC9B5UL;
    private static readonly ulong[] _table = BuildTable();
    private ulong _crc = ulong.MaxValue;

    /// <summary>Creates the hasher.</summary>
    public HandWrittenCrc64Nvme()
        : base(8)
    {
    }

    /// <summary>The current CRC value.</summary>
    public ulong GetCurrentHashAsUInt64() => ~_crc;

    /// <summary>CRC-64/NVME of <paramref name="data"/>.</summary>
    public static ulong HashToUInt64(ReadOnlySpan<byte> data)
    {
        var c = new HandWrittenCrc64Nvme();
        c.Append(data);
        return c.GetCurrentHashAsUInt64();
    }

    /// <inheritdoc />
    public override void Append(ReadOnlySpan<byte> source)
    {
        var crc = _crc;
        var t = _table;
        while (source.Length >= 8)
        {
            crc ^= BinaryPrimitives.ReadUInt64LittleEndian(source);
            crc = t[(7 * 256) + (int)(crc & 0xFF)]
                ^ t[(6 * 256) + (int)((crc >> 8) & 0xFF)]
                ^ t[(5 * 256) + (int)((crc >> 16) & 0xFF)]
                ^ t[(4 * 256) + (int)((crc >> 24) & 0xFF)]
                ^ t[(3 * 256) + (int)((crc >> 32) & 0xFF)]
                ^ t[(2 * 256) + (int)((crc >> 40) & 0xFF)]
                ^ t[256 + (int)((crc >> 48) & 0xFF)]
                ^ t[(int)(crc >> 56)];
            source = source[8..];
        }

        foreach (var b in source)
        {
            crc = t[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        _crc = crc;
    }

    /// <inheritdoc />
    public override void Reset() => _crc = ulong.MaxValue;

    /// <inheritdoc />
    protected override void GetCurrentHashCore(Span<byte> destination) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, GetCurrentHashAsUInt64());

    private static ulong[] BuildTable()
    {
        var table = new ulong[8 * 256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ulong)i;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ _reflectedPolynomial : crc >> 1;
            }

            table[i] = crc;
        }

        for (var i = 0; i < 256; i++)
        {
            for (var s = 1; s < 8; s++)
            {
                var prev = table[((s - 1) * 256) + i];
                table[(s * 256) + i] = (prev >> 8) ^ table[(int)(prev & 0xFF)];
            }
        }

        return table;
    }
}
