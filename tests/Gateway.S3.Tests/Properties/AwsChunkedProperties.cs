using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Properties;

/// <summary>
/// Seeded random cases for the aws-chunked decoder behind <see cref="S3RequestBody.Open"/>: any payload cut into
/// any chunk sizes, delivered by the transport in any read sizes and read back in any buffer sizes, decodes to the
/// original bytes with its trailing checksum verified; one flipped data byte is always refused before
/// end-of-stream. A failing case names its seed; <see cref="Generate"/> rebuilds it alone.
/// </summary>
public sealed class AwsChunkedProperties
{
    private const int _casesPerMode = 70;
    private const string _emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly S3ChecksumAlgorithm[] _algorithms =
        [S3ChecksumAlgorithm.Crc32, S3ChecksumAlgorithm.Crc32C, S3ChecksumAlgorithm.Crc64Nvme, S3ChecksumAlgorithm.Sha1, S3ChecksumAlgorithm.Sha256];

    /// <summary>One generated request: the framed body, where each data byte sits in it, and what it should decode to.</summary>
    internal sealed record Case(int Seed, S3PayloadMode Mode, byte[] Data, byte[] Framed, long[] DataOffsets, S3Checksum? Trailer, SigV4SigningContext? Signing);

    /// <summary>Generates the case for <paramref name="seed"/> in <paramref name="mode"/>.</summary>
    internal static Case Generate(int seed, S3PayloadMode mode)
    {
        var rng = new Random(seed);
        var size = rng.Next(10) switch
        {
            0 => 0,
            < 4 => rng.Next(1, 64),
            < 8 => rng.Next(64, 70_000),
            _ => rng.Next(70_000, 400_000),
        };
        var data = new byte[size];
        rng.NextBytes(data);

        SigV4SigningContext? signing = null;
        if (mode != S3PayloadMode.StreamingUnsignedTrailer)
        {
            var key = new byte[32];
            rng.NextBytes(key);
            var seedSignature = Convert.ToHexStringLower(SHA256.HashData(key));
            signing = new SigV4SigningContext(key, seedSignature, "20260101/us-east-1/s3/aws4_request", "20260101T000000Z", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "us-east-1");
        }

        var framed = new MemoryStream();
        void Ascii(string s) => framed.Write(Encoding.ASCII.GetBytes(s));
        var offsets = new long[size];
        var previous = signing?.SeedSignature;
        string ChunkSignature(ReadOnlySpan<byte> chunk)
        {
            var sts = string.Join('\n', "AWS4-HMAC-SHA256-PAYLOAD", signing!.AmzDate, signing.Scope, previous, _emptySha256, Convert.ToHexStringLower(SHA256.HashData(chunk)));
            previous = SigV4Signer.Signature(signing.SigningKey.Span, sts);
            return previous;
        }

        // Chunk sizes: mostly SDK-like fixed sizes, sometimes a different size for every chunk.
        var fixedSize = rng.Next(3) == 0 ? 0 : rng.Next(1, 70_000);
        var upper = rng.Next(3) == 0;
        for (var pos = 0; pos < size;)
        {
            var n = Math.Min(size - pos, fixedSize > 0 ? fixedSize : rng.Next(1, 20_000));
            var chunk = data.AsSpan(pos, n);
            var length = n.ToString(upper ? "X" : "x", CultureInfo.InvariantCulture);
            Ascii(signing is null ? $"{length}\r\n" : $"{length};chunk-signature={ChunkSignature(chunk)}\r\n");
            for (var i = 0; i < n; i++)
            {
                offsets[pos + i] = framed.Position + i;
            }

            framed.Write(chunk);
            Ascii("\r\n");
            pos += n;
        }

        Ascii(signing is null ? "0\r\n" : $"0;chunk-signature={ChunkSignature([])}\r\n");
        S3Checksum? trailer = null;
        if (mode != S3PayloadMode.StreamingSigned)
        {
            trailer = S3ChecksumHasher.Compute(_algorithms[rng.Next(_algorithms.Length)], data);
            var line = $"{trailer.HeaderName}:{trailer.Base64}";
            Ascii(line + "\r\n");
            if (signing is not null)
            {
                var sts = string.Join('\n', "AWS4-HMAC-SHA256-TRAILER", signing.AmzDate, signing.Scope, previous, SigV4Signer.Sha256Hex(line + "\n"));
                Ascii($"x-amz-trailer-signature:{SigV4Signer.Signature(signing.SigningKey.Span, sts)}\r\n");
            }
        }

        Ascii("\r\n");
        return new Case(seed, mode, data, framed.ToArray(), offsets, trailer, signing);
    }

    private static HttpContext Request(Case c, byte[] framed, Random rng)
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = "PUT";
        var h = ctx.Request.Headers;
        h.ContentEncoding = "aws-chunked";
        h["x-amz-decoded-content-length"] = c.Data.Length.ToString(CultureInfo.InvariantCulture);
        if (c.Trailer is not null)
        {
            h["x-amz-trailer"] = c.Trailer.HeaderName;
        }

        // boto3 sends no Content-Length (chunked transfer); SDKs that sign send the framed length.
        if (c.Mode != S3PayloadMode.StreamingUnsignedTrailer || rng.Next(2) == 0)
        {
            ctx.Request.ContentLength = framed.Length;
        }

        ctx.Request.Body = new TrickleStream(framed, rng);
        return ctx;
    }

    private static S3AuthResult Auth(Case c) => new(
        c.Signing is null ? S3Identity.Anonymous : S3Identity.Verified("property-key", S3AuthMethod.SigV4Header), c.Mode, null, c.Signing);

    private static async Task<byte[]> ReadAllAsync(Stream body, Random rng)
    {
        using var result = new MemoryStream();
        var buffer = new byte[70_000];
        int n;
        while ((n = await body.ReadAsync(buffer.AsMemory(0, rng.Next(1, buffer.Length)))) > 0)
        {
            result.Write(buffer, 0, n);
        }

        return result.ToArray();
    }

    public static TheoryData<S3PayloadMode> Modes() =>
        [S3PayloadMode.StreamingSigned, S3PayloadMode.StreamingSignedTrailer, S3PayloadMode.StreamingUnsignedTrailer];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Open_RandomChunkingAndReads_DecodesOriginalAndVerifiesTrailer(S3PayloadMode mode)
    {
        for (var seed = 1; seed <= _casesPerMode; seed++)
        {
            var c = Generate(seed, mode);
            var rng = new Random(seed * 7919);
            var ctx = Request(c, c.Framed, rng);
            await using var body = S3RequestBody.Open(ctx, Auth(c));

            var decoded = await ReadAllAsync(body, rng);

            Assert.True(c.Data.AsSpan().SequenceEqual(decoded), $"seed {seed} ({mode}, {c.Data.Length} B): decoded bytes differ");
            if (c.Trailer is not null)
            {
                Assert.True(body.Checksums.Contains(c.Trailer), $"seed {seed} ({mode}): trailer {c.Trailer} not reported");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Open_OneFlippedDataByte_RefusedBeforeEndOfStream(S3PayloadMode mode)
    {
        var tested = 0;
        for (var seed = 1; tested < _casesPerMode; seed++)
        {
            var c = Generate(seed, mode);
            if (c.Data.Length == 0)
            {
                continue;
            }

            tested++;
            var rng = new Random(seed * 104729);
            var framed = (byte[])c.Framed.Clone();
            framed[c.DataOffsets[rng.Next(c.DataOffsets.Length)]] ^= (byte)rng.Next(1, 256);
            var ctx = Request(c, framed, rng);
            await using var body = S3RequestBody.Open(ctx, Auth(c));

            var e = await Assert.ThrowsAsync<S3Exception>(() => ReadAllAsync(body, rng));

            // Signed chunks catch it by signature; unsigned ones only by the trailing checksum.
            var expected = c.Signing is null ? S3Errors.BadDigest : S3Errors.SignatureDoesNotMatch;
            Assert.True(ReferenceEquals(expected, e.Error), $"seed {seed} ({mode}): {e.Error.Code}, expected {expected.Code}");
        }
    }

    /// <summary>A transport that hands out the body in random short reads, splitting framing lines anywhere.</summary>
    private sealed class TrickleStream(byte[] data, Random rng) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, rng.Next(1, 9000)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, rng.Next(1, 9000))]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, rng.Next(1, 9000)), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, rng.Next(1, 9000))], cancellationToken);
    }
}
