using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// aws-chunked decoding through <see cref="S3RequestBody.Open"/> (signed, signed with trailer, unsigned with trailer):
/// any payload encoded with any chunk split, framing spelling, transport read sizes and reader buffer sizes decodes to
/// itself with chunk signatures and the trailer verified; any single change to the framed body (a byte changed,
/// inserted or removed, the body cut short) either still decodes to the same payload or is refused with an
/// S3Exception before end-of-stream, never accepted with other bytes and never another exception; a framing line
/// without end stops the decoder within its line limit.
/// </summary>
public sealed class AwsChunkedFuzz
{
    private static readonly S3ChecksumAlgorithm[] _algorithms =
        [S3ChecksumAlgorithm.Crc32, S3ChecksumAlgorithm.Crc32C, S3ChecksumAlgorithm.Crc64Nvme, S3ChecksumAlgorithm.Sha1, S3ChecksumAlgorithm.Sha256];

    private static readonly SigV4SigningContext _signing = new(
        SHA256.HashData("fuzz signing key"u8),
        Convert.ToHexStringLower(SHA256.HashData("seed"u8)),
        "20260304/us-east-1/s3/aws4_request",
        "20260304T050607Z",
        new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
        "us-east-1");

    internal sealed record Body(S3PayloadMode Mode, byte[] Data, byte[] Framed, S3Checksum? Trailer, int Seed)
    {
        public override string ToString() => $"{Mode}, {Data.Length} B data, {Framed.Length} B framed, transport seed {Seed}";
    }

    /// <summary>Frames <paramref name="data"/> as a client would (AWS's "Signature calculation for streaming uploads").</summary>
    private static byte[] Encode(S3PayloadMode mode, byte[] data, int[] cuts, bool upperHex, S3Checksum? trailer, string lineEnd)
    {
        var signed = mode != S3PayloadMode.StreamingUnsignedTrailer;
        var previous = _signing.SeedSignature;
        string Sign(string stringToSign) => previous = SigV4Signer.Signature(_signing.SigningKey.Span, stringToSign);
        string ChunkSignature(ReadOnlySpan<byte> chunk) => Sign(string.Join(
            '\n', "AWS4-HMAC-SHA256-PAYLOAD", _signing.AmzDate, _signing.Scope, previous, S3ContentSha256.EmptySha256, Convert.ToHexStringLower(SHA256.HashData(chunk))));

        using var framed = new MemoryStream();
        void Ascii(string s) => framed.Write(Encoding.ASCII.GetBytes(s));
        var boundaries = cuts.Where(c => c > 0 && c < data.Length).Append(data.Length).Distinct().Order().ToArray();
        var start = 0;
        foreach (var end in data.Length == 0 ? Array.Empty<int>() : boundaries)
        {
            var chunk = data.AsSpan(start, end - start);
            var size = chunk.Length.ToString(upperHex ? "X" : "x", CultureInfo.InvariantCulture);
            Ascii(signed ? $"{size};chunk-signature={ChunkSignature(chunk)}{lineEnd}" : size + lineEnd);
            framed.Write(chunk);
            Ascii(lineEnd);
            start = end;
        }

        Ascii(signed ? $"0;chunk-signature={ChunkSignature([])}{lineEnd}" : "0" + lineEnd);
        if (trailer is not null)
        {
            var line = $"{trailer.HeaderName}:{trailer.Base64}";
            Ascii(line + lineEnd);
            if (signed)
            {
                var signature = Sign(string.Join('\n', "AWS4-HMAC-SHA256-TRAILER", _signing.AmzDate, _signing.Scope, previous, SigV4Signer.Sha256Hex(line + "\n")));
                Ascii($"x-amz-trailer-signature:{signature}{lineEnd}");
            }
        }

        Ascii(lineEnd);
        return framed.ToArray();
    }

    internal static readonly Gen<Body> Bodies =
        from mode in Gen.OneOf(S3PayloadMode.StreamingSigned, S3PayloadMode.StreamingSignedTrailer, S3PayloadMode.StreamingUnsignedTrailer)
        from data in Gen.Frequency((6, Gen.Byte.Array[0, 300]), (2, Gen.Byte.Array[300, 5_000]), (1, Gen.Byte.Array[60_000, 140_000]))
        from cuts in Gen.Frequency((3, Gen.Int[0, data.Length].Array[0, 6]), (1, Gen.Int[1, 9_000].Select(n => Enumerable.Range(1, data.Length / n).Select(i => i * n).ToArray())))
        from upper in Gen.Bool
        from lineEnd in Gen.Frequency((5, Gen.Const("\r\n")), (1, Gen.Const("\n")))
        from algorithm in Gen.OneOf(_algorithms)
        from seed in Gen.Int
        let trailer = mode == S3PayloadMode.StreamingSigned ? null : S3ChecksumHasher.Compute(algorithm, data)
        select new Body(mode, data, Encode(mode, data, cuts, upper, trailer, lineEnd), trailer, seed);

    private static HttpContext Request(Body b, byte[] framed, Random rng)
    {
        var ctx = new DefaultHttpContext();
        var h = ctx.Request.Headers;
        h.ContentEncoding = "aws-chunked";
        h["x-amz-decoded-content-length"] = b.Data.Length.ToString(CultureInfo.InvariantCulture);
        if (b.Trailer is not null)
        {
            h["x-amz-trailer"] = b.Trailer.HeaderName;
        }

        ctx.Request.Body = new TrickleStream(framed, rng);
        return ctx;
    }

    private static S3AuthResult Auth(Body b) => new(
        S3Identity.Verified("fuzz", S3AuthMethod.SigV4Header), b.Mode, null, b.Mode == S3PayloadMode.StreamingUnsignedTrailer ? null : _signing);

    /// <summary>Reads the body to its end in random buffer sizes; a decoder that loops is a failure, not a hang.</summary>
    private static async Task<(byte[] Data, IReadOnlyList<S3Checksum> Checksums)> DecodeAsync(Body b, byte[] framed)
    {
        var rng = new Random(b.Seed);
        await using var body = S3RequestBody.Open(Request(b, framed, rng), Auth(b));
        using var result = new MemoryStream();
        var buffer = new byte[70_000];
        int n;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((n = await body.ReadAsync(buffer.AsMemory(0, rng.Next(1, buffer.Length)), timeout.Token).AsTask().WaitAsync(timeout.Token)) > 0)
        {
            result.Write(buffer, 0, n);
            Assert.True(result.Length <= b.Data.Length + buffer.Length, "more bytes decoded than the body holds");
        }

        return (result.ToArray(), body.Checksums);
    }

    [Fact]
    public Task EncodeThenDecode_GivesPayloadAndVerifiedTrailer() =>
        Bodies.SampleAsync(400, async b =>
        {
            var (data, checksums) = await DecodeAsync(b, b.Framed);

            Assert.True(b.Data.AsSpan().SequenceEqual(data), "decoded bytes differ");
            if (b.Trailer is not null)
            {
                Assert.Contains(b.Trailer, checksums);
            }
        });

    [Fact]
    public Task AnySingleChange_RefusedOrSamePayload() =>
        Gen.Select(Bodies, Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte).SampleAsync(1_500, async t =>
        {
            var (b, kind, at, value) = t;
            var framed = b.Framed.ToList();
            var i = at % framed.Count;
            switch (kind)
            {
                case 0:
                    framed[i] = framed[i] == value ? (byte)(value ^ 0x20) : value;
                    break;
                case 1:
                    framed.Insert(i, value);
                    break;
                case 2:
                    framed.RemoveAt(i);
                    break;
                default:
                    framed.RemoveRange(i, framed.Count - i);
                    break;
            }

            try
            {
                var (data, checksums) = await DecodeAsync(b, [.. framed]);
                Assert.True(b.Data.AsSpan().SequenceEqual(data), "a changed body was accepted with other bytes");
                if (b.Trailer is not null)
                {
                    Assert.Contains(b.Trailer, checksums);
                }
            }
            catch (S3Exception)
            {
                // Refused: the contract.
            }
        });

    [Fact]
    public Task Garbage_S3ExceptionOnly() =>
        Gen.Select(
            Gen.OneOf(S3PayloadMode.StreamingSigned, S3PayloadMode.StreamingSignedTrailer, S3PayloadMode.StreamingUnsignedTrailer),
            Gen.Frequency((3, Gen.Byte[(byte)'0', (byte)';']), (2, Gen.OneOf("\r\n;=:-x-amz-checksum-crc32chunk-signature0aA"u8.ToArray())), (1, Gen.Byte)).Array[0, 300],
            Gen.Int).SampleAsync(3_000, async t =>
        {
            var (mode, garbage, seed) = t;
            var b = new Body(mode, [], garbage, null, seed);
            try
            {
                await DecodeAsync(b, garbage);
            }
            catch (S3Exception)
            {
            }
        });

    [Fact]
    public async Task EndlessFramingLine_RefusedWithinLineLimit()
    {
        foreach (var mode in new[] { S3PayloadMode.StreamingSigned, S3PayloadMode.StreamingUnsignedTrailer })
        {
            var endless = new EndlessBody(string.Empty, "1");
            var ctx = new DefaultHttpContext();
            ctx.Request.Body = endless;
            await using var body = S3RequestBody.Open(ctx, Auth(new Body(mode, [], [], null, 0)));

            var e = await Assert.ThrowsAsync<S3Exception>(() => body.ReadAsync(new byte[100]).AsTask());

            Assert.Same(S3Errors.InvalidRequest, e.Error);
            Assert.InRange(endless.Served, 1, 4096 + (64 * 1024));
        }
    }

    /// <summary>A transport that hands out the body in random short reads, splitting framing lines anywhere.</summary>
    private sealed class TrickleStream(byte[] data, Random rng) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, Next()));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, Next())]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, Next()), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, Next())], cancellationToken);

        private int Next() => rng.Next(4) == 0 ? rng.Next(1, 4) : rng.Next(1, 9000);
    }
}
