using System.IO.Hashing;
using ChecksumBench.Baseline;
using Gateway.S3.Checksums;

namespace ChecksumBench;

/// <summary>A one-shot CRC of a whole input, widened to 64 bits.</summary>
internal delegate ulong OneShot(ReadOnlySpan<byte> data);

/// <summary>One implementation of one CRC: an incremental hasher factory and a one-shot function.</summary>
internal sealed record Implementation(string Name, Func<NonCryptographicHashAlgorithm> Create, Func<NonCryptographicHashAlgorithm, ulong> Current, OneShot Hash);

/// <summary>The two CRCs S3 adds beyond CRC-32, each as the hand-written baseline and as System.IO.Hashing 11.</summary>
internal sealed record Algorithm(string Name, S3ChecksumAlgorithm S3, int Width, ulong CheckValue, Implementation HandWritten, Implementation Library)
{
    public const string HandWrittenName = "hand-written";
    public const string LibraryName = "System.IO.Hashing";

    public static readonly Algorithm Crc32C = new(
        "CRC-32C",
        S3ChecksumAlgorithm.Crc32C,
        32,
        0xE3069283UL,
        new(HandWrittenName, () => new HandWrittenCrc32C(), h => ((HandWrittenCrc32C)h).GetCurrentHashAsUInt32(), d => HandWrittenCrc32C.HashToUInt32(d)),
        new(LibraryName, () => new Crc32(Crc32ParameterSet.Crc32C), h => ((Crc32)h).GetCurrentHashAsUInt32(), d => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, d)));

    public static readonly Algorithm Crc64Nvme = new(
        "CRC-64/NVME",
        S3ChecksumAlgorithm.Crc64Nvme,
        64,
        0xAE8B14860A799888UL,
        new(HandWrittenName, () => new HandWrittenCrc64Nvme(), h => ((HandWrittenCrc64Nvme)h).GetCurrentHashAsUInt64(), d => HandWrittenCrc64Nvme.HashToUInt64(d)),
        new(LibraryName, () => new Crc64(Crc64ParameterSet.Nvme), h => ((Crc64)h).GetCurrentHashAsUInt64(), d => Crc64.HashToUInt64(Crc64ParameterSet.Nvme, d)));

    public static readonly IReadOnlyList<Algorithm> All = [Crc32C, Crc64Nvme];
}
