using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Checksums;

namespace Gateway.S3.Tests.Checksums;

public sealed class ChecksumTests
{
    internal static readonly byte[] Check = Encoding.ASCII.GetBytes("123456789");

    [Fact]
    public void Crc64Nvme_CheckValue_Matches()
    {
        Assert.Equal(0xAE8B14860A799888UL, Crc64.HashToUInt64(Crc64ParameterSet.Nvme, Check));
        var incremental = new Crc64(Crc64ParameterSet.Nvme);
        incremental.Append(Check.AsSpan(0, 4));
        incremental.Append(Check.AsSpan(4));
        Assert.Equal(0xAE8B14860A799888UL, incremental.GetCurrentHashAsUInt64());
    }

    [Fact]
    public void Crc32C_CheckValue_Matches()
    {
        Assert.Equal(0xE3069283u, Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, Check));
        var incremental = new Crc32(Crc32ParameterSet.Crc32C);
        incremental.Append(Check.AsSpan(0, 4));
        incremental.Append(Check.AsSpan(4));
        Assert.Equal(0xE3069283u, incremental.GetCurrentHashAsUInt32());
    }

    [Fact]
    public void LibraryParameterSets_AreTheS3Crcs()
    {
        // Catalogue parameters (reveng): CRC-64/NVME and CRC-32C, both reflected with init and xor-out all ones.
        var nvme = Crc64ParameterSet.Nvme;
        Assert.Equal(
            (0xAD93D23594C93659UL, ulong.MaxValue, ulong.MaxValue, true),
            (nvme.Polynomial, nvme.InitialValue, nvme.FinalXorValue, nvme.ReflectValues));
        var castagnoli = Crc32ParameterSet.Crc32C;
        Assert.Equal(
            (0x1EDC6F41u, uint.MaxValue, uint.MaxValue, true),
            (castagnoli.Polynomial, castagnoli.InitialValue, castagnoli.FinalXorValue, castagnoli.ReflectValues));
    }

    [Fact]
    public void Crc32_CheckValue_Matches() => Assert.Equal(0xCBF43926u, Crc32.HashToUInt32(Check));

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "y/Q5Jg==")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "4waSgw==")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "rosUhgp5mIg=")]
    public void Compute_CheckString_BigEndianBase64(S3ChecksumAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, S3ChecksumHasher.Compute(algorithm, Check).Base64);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "AAAAAA==")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "AAAAAA==")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "AAAAAAAAAAA=")]
    [InlineData(S3ChecksumAlgorithm.Sha1, "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")]
    public void Compute_Empty_KnownValues(S3ChecksumAlgorithm algorithm, string expected)
    {
        Assert.Equal(expected, S3ChecksumHasher.Compute(algorithm, []).Base64);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32)]
    [InlineData(S3ChecksumAlgorithm.Crc32C)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme)]
    [InlineData(S3ChecksumAlgorithm.Sha1)]
    [InlineData(S3ChecksumAlgorithm.Sha256)]
    public void Append_InPieces_SameAsOneShot(S3ChecksumAlgorithm algorithm)
    {
        var data = RandomNumberGenerator.GetBytes(10_007);
        using var h = new S3ChecksumHasher(algorithm);
        var rng = new Random(42);
        var pos = 0;
        while (pos < data.Length)
        {
            var n = Math.Min(rng.Next(1, 700), data.Length - pos);
            h.Append(data.AsSpan(pos, n));
            pos += n;
        }

        Assert.Equal(S3ChecksumHasher.Compute(algorithm, data), h.GetCurrent());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1031)]
    [InlineData(4096 + 3)]
    public void LibraryCrcs_MatchBitwiseReference(int length)
    {
        // Lengths straddle the library's scalar/vector boundaries (16-byte minimum, 64-byte folding blocks).
        var data = RandomNumberGenerator.GetBytes(length);
        Assert.Equal(BitwiseReflected(data, 0x9A6C9329AC4BC9B5UL, 64), Crc64.HashToUInt64(Crc64ParameterSet.Nvme, data));
        Assert.Equal(BitwiseReflected(data, 0x82F63B78UL, 32), Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data));
        Assert.Equal(BitwiseReflected(data, 0xEDB88320UL, 32), Crc32.HashToUInt32(data));
    }

    [Theory]
    [InlineData("crc32", S3ChecksumAlgorithm.Crc32)]
    [InlineData("CRC32C", S3ChecksumAlgorithm.Crc32C)]
    [InlineData("CRC64NVME", S3ChecksumAlgorithm.Crc64Nvme)]
    [InlineData("sha1", S3ChecksumAlgorithm.Sha1)]
    [InlineData("SHA256", S3ChecksumAlgorithm.Sha256)]
    public void TryParse_WireNames(string name, S3ChecksumAlgorithm expected)
    {
        Assert.True(S3ChecksumAlgorithms.TryParse(name, out var a));
        Assert.Equal(expected, a);
        Assert.True(S3ChecksumAlgorithms.TryParseHeaderName("x-amz-checksum-" + name, out var b));
        Assert.Equal(expected, b);
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "AAAAAA==", true)]
    [InlineData(S3ChecksumAlgorithm.Crc32, "AAAAAAAAAAA=", false)]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "AAAAAAAAAAA=", true)]
    [InlineData(S3ChecksumAlgorithm.Sha256, "not base64!", false)]
    [InlineData(S3ChecksumAlgorithm.Sha1, "", false)]
    public void ChecksumTryParse_ValidatesLength(S3ChecksumAlgorithm algorithm, string value, bool ok)
    {
        Assert.Equal(ok, S3Checksum.TryParse(algorithm, value) is not null);
    }

    /// <summary>Bit-at-a-time reflected CRC with init and xor-out all ones (reflected polynomial).</summary>
    private static ulong BitwiseReflected(byte[] data, ulong reflectedPolynomial, int width)
    {
        var mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        var crc = mask;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1;
            }
        }

        return ~crc & mask;
    }
}
