using System.Buffers.Binary;
using System.Globalization;
using Gateway.S3.Checksums;

namespace ChecksumBench;

/// <summary>
/// Checks, before anything is timed, that the library and the hand-written code compute the same CRCs: the catalogue
/// check values, edge lengths around the 8-byte word and 16/32/64-byte vector widths, and random data of random
/// lengths at random alignments, one-shot and appended in random pieces; and that the gateway's
/// <see cref="S3ChecksumHasher"/> emits the big-endian base64 S3 expects.
/// </summary>
internal static class Verification
{
    private static readonly int[] _edgeLengths =
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 4096, 4096 + 3, 65_536 + 5, (1 << 20) + 7];

    /// <summary>Returns the number of comparisons made and a description of each mismatch.</summary>
    public static (int Comparisons, List<string> Failures) Run(int seed, int randomLengths = 300)
    {
        var rng = new Random(seed);
        var pool = new byte[(2 << 20) + 64];
        rng.NextBytes(pool);
        var failures = new List<string>();
        var comparisons = 0;

        void Expect(ulong expected, ulong actual, string what)
        {
            comparisons++;
            if (expected != actual)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:X16}, got {actual:X16}"));
            }
        }

        var check = "123456789"u8;
        foreach (var algorithm in Algorithm.All)
        {
            foreach (var impl in new[] { algorithm.HandWritten, algorithm.Library })
            {
                Expect(algorithm.CheckValue, impl.Hash(check), $"{algorithm.Name} {impl.Name} check value");
                var h = impl.Create();
                h.Append(check);
                Expect(algorithm.CheckValue, impl.Current(h), $"{algorithm.Name} {impl.Name} incremental check value");
            }
        }

        Span<byte> bigEndian = stackalloc byte[8];
        var lengths = _edgeLengths.Concat(Enumerable.Range(0, randomLengths).Select(_ => rng.Next(0, 100_000)));
        foreach (var length in lengths)
        {
            var offset = rng.Next(0, 64);
            var data = pool.AsSpan(offset, length);
            foreach (var algorithm in Algorithm.All)
            {
                var what = string.Create(CultureInfo.InvariantCulture, $"{algorithm.Name} length {length} offset {offset}");
                var expected = algorithm.HandWritten.Hash(data);
                Expect(expected, algorithm.Library.Hash(data), what + " one-shot");
                Expect(expected, Pieces(algorithm.Library, data, rng), what + " library in pieces");
                Expect(expected, Pieces(algorithm.HandWritten, data, rng), what + " hand-written in pieces");

                if (algorithm.Width == 64)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(bigEndian, expected);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bigEndian, (uint)expected);
                }

                comparisons++;
                var s3 = S3ChecksumHasher.Compute(algorithm.S3, data).Base64;
                var wanted = Convert.ToBase64String(bigEndian[..(algorithm.Width / 8)]);
                if (s3 != wanted)
                {
                    failures.Add($"{what} S3ChecksumHasher: expected {wanted}, got {s3}");
                }
            }
        }

        return (comparisons, failures);
    }

    private static ulong Pieces(Implementation impl, ReadOnlySpan<byte> data, Random rng)
    {
        var h = impl.Create();
        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, rng.Next(0, 3) switch { 0 => rng.Next(1, 17), 1 => rng.Next(1, 300), _ => rng.Next(1, 20_000) });
            h.Append(data[..n]);
            data = data[n..];
        }

        return impl.Current(h);
    }
}
