using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Body;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Routing;
using Gateway.S3.Tests.Auth;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Body;

public sealed class AwsChunkedStreamTests
{
    internal const string Seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
    internal const string Sig1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
    internal const string Sig2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
    internal const string SigFinal = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";

    private static byte[] AwsExampleBody(string sig1 = Sig1, string sig2 = Sig2, string sigFinal = SigFinal, byte fill = (byte)'a')
    {
        using var ms = new MemoryStream();
        void Ascii(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        Ascii($"10000;chunk-signature={sig1}\r\n");
        ms.Write(Enumerable.Repeat((byte)'a', 65536).ToArray());
        Ascii($"\r\n400;chunk-signature={sig2}\r\n");
        ms.Write(Enumerable.Repeat(fill, 1024).ToArray());
        Ascii($"\r\n0;chunk-signature={sigFinal}\r\n\r\n");
        return ms.ToArray();
    }

    private static DefaultHttpContext AwsExampleContext(byte[] body)
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = "PUT";
        var h = ctx.Request.Headers;
        h.Host = "s3.amazonaws.com";
        h["x-amz-date"] = "20130524T000000Z";
        h["x-amz-storage-class"] = "REDUCED_REDUNDANCY";
        h.ContentEncoding = "aws-chunked";
        h["x-amz-decoded-content-length"] = "66560";
        h.ContentLength = 66824;
        h["x-amz-content-sha256"] = S3ContentSha256.StreamingSigned;
        h.Authorization = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
            "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class," +
            $"Signature={Seed}";
        ctx.Request.Body = new MemoryStream(body);
        return ctx;
    }

    private static async Task<S3AuthResult> Authenticate(HttpContext ctx) =>
        await SigV4VectorTests.Authenticator().AuthenticateAsync(ctx, S3RequestTarget.Parse("/examplebucket/chunkObject.txt"), CancellationToken.None);

    private static async Task<byte[]> ReadAll(Stream s, int bufferSize = 7000)
    {
        using var ms = new MemoryStream();
        var buf = new byte[bufferSize];
        int n;
        while ((n = await s.ReadAsync(buf)) > 0)
        {
            ms.Write(buf, 0, n);
        }

        return ms.ToArray();
    }

    [Fact]
    public async Task AwsExample_SeedAndChunkSignatures_Verify()
    {
        var body = AwsExampleBody();
        Assert.Equal(66824, body.Length);
        var ctx = AwsExampleContext(body);

        var auth = await Authenticate(ctx);
        Assert.Equal(Seed, auth.Signing!.SeedSignature);
        Assert.Equal(S3PayloadMode.StreamingSigned, auth.PayloadMode);
        await using var stream = S3RequestBody.Open(ctx, auth);
        var data = await ReadAll(stream);

        Assert.Equal(66560, data.Length);
        Assert.All(data, b => Assert.Equal((byte)'a', b));
        Assert.True(stream.IsCompleted);
        Assert.Null(S3ObjectMetadata.FromRequest(ctx.Request).ContentEncoding);
    }

    [Fact]
    public async Task AwsExample_TamperedData_SignatureDoesNotMatchBeforeEof()
    {
        var ctx = AwsExampleContext(AwsExampleBody(fill: (byte)'b'));
        var auth = await Authenticate(ctx);
        await using var stream = S3RequestBody.Open(ctx, auth);

        var ex = await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream));

        Assert.Same(S3Errors.SignatureDoesNotMatch, ex.Error);
        Assert.False(stream.IsCompleted);
    }

    [Fact]
    public async Task AwsExample_WrongFinalSignature_Rejected()
    {
        var ctx = AwsExampleContext(AwsExampleBody(sigFinal: Sig2));
        var auth = await Authenticate(ctx);
        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.SignatureDoesNotMatch, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    [Fact]
    public async Task AwsExample_Truncated_IncompleteBody()
    {
        var body = AwsExampleBody();
        var ctx = AwsExampleContext(body[..40_000]);
        var auth = await Authenticate(ctx);
        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.IncompleteBody, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    /// <summary>Builds a signed-with-trailer body the way AWS SDKs do, with our signer.</summary>
    private static byte[] SignedTrailerBody(SigV4SigningContext signing, byte[] data, int chunkSize, string trailerName, string trailerValue, bool breakTrailerSignature = false)
    {
        using var ms = new MemoryStream();
        void Ascii(string s) => ms.Write(Encoding.ASCII.GetBytes(s));
        var previous = signing.SeedSignature;
        string Sign(ReadOnlySpan<byte> chunk)
        {
            var sts = string.Join('\n', "AWS4-HMAC-SHA256-PAYLOAD", signing.AmzDate, signing.Scope, previous, S3ContentSha256.EmptySha256, Convert.ToHexStringLower(SHA256.HashData(chunk)));
            previous = SigV4Signer.Signature(signing.SigningKey.Span, sts);
            return previous;
        }

        for (var pos = 0; pos < data.Length; pos += chunkSize)
        {
            var chunk = data.AsSpan(pos, Math.Min(chunkSize, data.Length - pos));
            Ascii($"{chunk.Length:x};chunk-signature={Sign(chunk)}\r\n");
            ms.Write(chunk);
            Ascii("\r\n");
        }

        Ascii($"0;chunk-signature={Sign([])}\r\n");
        Ascii($"{trailerName}:{trailerValue}\r\n");
        var trailerSts = string.Join('\n', "AWS4-HMAC-SHA256-TRAILER", signing.AmzDate, signing.Scope, previous, SigV4Signer.Sha256Hex($"{trailerName}:{trailerValue}\n"));
        var trailerSig = SigV4Signer.Signature(signing.SigningKey.Span, trailerSts);
        if (breakTrailerSignature)
        {
            trailerSig = new string('0', 64);
        }

        Ascii($"x-amz-trailer-signature:{trailerSig}\r\n\r\n");
        return ms.ToArray();
    }

    private static async Task<(DefaultHttpContext Ctx, S3AuthResult Auth)> SignedTrailerRequest(int size)
    {
        var ctx = AwsExampleContext([]);
        ctx.Request.Headers["x-amz-content-sha256"] = S3ContentSha256.StreamingSignedTrailer;
        ctx.Request.Headers["x-amz-trailer"] = "x-amz-checksum-crc32";
        ctx.Request.Headers["x-amz-decoded-content-length"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ctx.Request.Headers.ContentLength = null;
        var h = ctx.Request.Headers;
        var target = S3RequestTarget.Parse("/examplebucket/chunkObject.txt");
        // Every x-amz-* header is signed, as SDKs do (the example's x-amz-storage-class included).
        var signed = new[] { "content-encoding", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-decoded-content-length", "x-amz-storage-class", "x-amz-trailer" };
        var cr = SigV4Signer.CanonicalRequest("PUT", SigV4Signer.CanonicalUri(target.RawPath), "", signed, n => h[n].ToString(), S3ContentSha256.StreamingSignedTrailer);
        var key = SigV4Signer.SigningKey(SigV4VectorTests.Secret, "20130524", "us-east-1", "s3");
        var sig = SigV4Signer.Signature(key, SigV4Signer.StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", cr));
        h.Authorization = $"AWS4-HMAC-SHA256 Credential={SigV4VectorTests.AccessKey}/20130524/us-east-1/s3/aws4_request,SignedHeaders={string.Join(';', signed)},Signature={sig}";
        var auth = await SigV4VectorTests.Authenticator().AuthenticateAsync(ctx, target, CancellationToken.None);
        return (ctx, auth);
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(100_000, 8192)]
    [InlineData(65536, 65536)]
    public async Task SignedTrailer_RandomSizes_DecodesAndVerifiesChecksum(int size, int chunkSize)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var (ctx, auth) = await SignedTrailerRequest(size);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, data);
        ctx.Request.Body = new MemoryStream(SignedTrailerBody(auth.Signing!, data, chunkSize, "x-amz-checksum-crc32", crc.Base64));

        await using var stream = S3RequestBody.Open(ctx, auth);
        var decoded = await ReadAll(stream, 3000);

        Assert.Equal(data, decoded);
        Assert.Contains(crc, stream.Checksums);
    }

    [Fact]
    public async Task SignedTrailer_WrongChecksum_BadDigest()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var (ctx, auth) = await SignedTrailerRequest(data.Length);
        ctx.Request.Body = new MemoryStream(SignedTrailerBody(auth.Signing!, data, 1000, "x-amz-checksum-crc32", "AAAAAA=="));

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.BadDigest, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    [Fact]
    public async Task SignedTrailer_BadTrailerSignature_SignatureDoesNotMatch()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var (ctx, auth) = await SignedTrailerRequest(data.Length);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, data);
        ctx.Request.Body = new MemoryStream(SignedTrailerBody(auth.Signing!, data, 1000, "x-amz-checksum-crc32", crc.Base64, breakTrailerSignature: true));

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.SignatureDoesNotMatch, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    [Fact]
    public async Task SignedTrailer_DecodedLengthMismatch_IncompleteBody()
    {
        var data = RandomNumberGenerator.GetBytes(5000);
        var (ctx, auth) = await SignedTrailerRequest(6000);
        var crc = S3ChecksumHasher.Compute(S3ChecksumAlgorithm.Crc32, data);
        ctx.Request.Body = new MemoryStream(SignedTrailerBody(auth.Signing!, data, 1000, "x-amz-checksum-crc32", crc.Base64));

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.IncompleteBody, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    private static DefaultHttpContext UnsignedTrailerContext(byte[] framed, int decodedLength, string trailer = "x-amz-checksum-crc32")
    {
        var ctx = new DefaultHttpContext();
        ctx.Request.Method = "PUT";
        ctx.Request.Headers["x-amz-content-sha256"] = S3ContentSha256.StreamingUnsignedTrailer;
        ctx.Request.Headers["x-amz-trailer"] = trailer;
        ctx.Request.Headers["x-amz-decoded-content-length"] = decodedLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ctx.Request.Headers.ContentEncoding = "gzip,aws-chunked";
        ctx.Request.Body = new MemoryStream(framed);
        return ctx;
    }

    private static byte[] UnsignedFramed(byte[] data, int chunkSize, string trailerLine, string finalTerminator = "\r\n\r\n")
    {
        var sb = new MemoryStream();
        for (var pos = 0; pos < data.Length; pos += chunkSize)
        {
            var n = Math.Min(chunkSize, data.Length - pos);
            sb.Write(Encoding.ASCII.GetBytes($"{n:X}\r\n"));
            sb.Write(data, pos, n);
            sb.Write("\r\n"u8);
        }

        sb.Write(Encoding.ASCII.GetBytes($"0\r\n{trailerLine}{finalTerminator}"));
        return sb.ToArray();
    }

    [Theory]
    [InlineData(S3ChecksumAlgorithm.Crc32, "\r\n\r\n")]
    [InlineData(S3ChecksumAlgorithm.Crc32C, "\r\n\r\n")]
    [InlineData(S3ChecksumAlgorithm.Crc64Nvme, "\r\n")]
    [InlineData(S3ChecksumAlgorithm.Sha256, "\n\n")]
    public async Task UnsignedTrailer_Boto3Style_Decodes(S3ChecksumAlgorithm algorithm, string terminator)
    {
        var data = RandomNumberGenerator.GetBytes(70_000);
        var sum = S3ChecksumHasher.Compute(algorithm, data);
        var ctx = UnsignedTrailerContext(UnsignedFramed(data, 1 << 14, $"{sum.HeaderName}:{sum.Base64}", terminator), data.Length, sum.HeaderName);
        var auth = new S3AuthResult(S3Identity.Anonymous, S3PayloadMode.StreamingUnsignedTrailer, null, null);

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Equal(data, await ReadAll(stream));
        Assert.Contains(sum, stream.Checksums);
        Assert.Equal("gzip", S3ObjectMetadata.FromRequest(ctx.Request).ContentEncoding);
    }

    [Fact]
    public async Task UnsignedTrailer_MissingDeclaredTrailer_Rejected()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var ctx = UnsignedTrailerContext(UnsignedFramed(data, 50, ""), data.Length);
        var auth = new S3AuthResult(S3Identity.Anonymous, S3PayloadMode.StreamingUnsignedTrailer, null, null);

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Same(S3Errors.IncompleteBody, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n0\r\n\r\n", "InvalidRequest")]
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n", "InvalidRequest")]
    [InlineData("10\r\nabc", "IncompleteBody")]
    [InlineData("", "IncompleteBody")]
    public async Task MalformedFraming_Rejected(string framed, string code)
    {
        var ctx = UnsignedTrailerContext(Encoding.ASCII.GetBytes(framed), 3, trailer: "");
        var auth = new S3AuthResult(S3Identity.Anonymous, S3PayloadMode.StreamingUnsignedTrailer, null, null);

        await using var stream = S3RequestBody.Open(ctx, auth);

        Assert.Equal(code, (await Assert.ThrowsAsync<S3Exception>(() => ReadAll(stream))).Error.Code);
    }

    [Fact]
    public void SignedStreaming_Anonymous_InvalidRequest()
    {
        var ctx = new DefaultHttpContext();
        var auth = new S3AuthResult(S3Identity.Anonymous, S3PayloadMode.StreamingSigned, null, null);

        Assert.Same(S3Errors.InvalidRequest, Assert.Throws<S3Exception>(() => S3RequestBody.Open(ctx, auth)).Error);
    }
}
