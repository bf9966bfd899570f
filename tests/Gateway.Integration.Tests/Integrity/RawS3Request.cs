using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.S3.Auth.SigV4;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// Builds S3 requests by hand, the way an SDK frames them, with switches to break one thing at a time:
/// SigV4 header auth over a literal or streaming payload hash, aws-chunked bodies (signed, signed + trailer,
/// unsigned + trailer), and SigV2 header auth.
/// </summary>
public sealed class RawS3Request(Uri endpoint, string accessKey, string secretKey)
{
    private const string _emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>How to break an aws-chunked body.</summary>
    public enum Tamper
    {
        None,
        CorruptChunkData,
        BadChunkSignature,
        BadFinalChunkSignature,
        BadTrailerSignature,
        WrongTrailerChecksum,
    }

    /// <summary>A PUT signed with SigV4 in the header; <paramref name="payloadHash"/> is the x-amz-content-sha256 value.</summary>
    public HttpRequestMessage SignedPut(string path, HttpContent content, string payloadHash, IEnumerable<KeyValuePair<string, string>>? extraSignedHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var now = DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, path)) { Content = content };
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = endpoint.Authority,
            ["x-amz-date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            ["x-amz-content-sha256"] = payloadHash,
        };
        foreach (var (name, value) in extraSignedHeaders ?? [])
        {
            headers[name.ToLowerInvariant()] = value;
        }

        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/us-east-1/s3/aws4_request";
        var canonical = SigV4Signer.CanonicalRequest("PUT", SigV4Signer.CanonicalUri(request.RequestUri!.AbsolutePath), string.Empty, [.. headers.Keys], n => headers.GetValueOrDefault(n), payloadHash);
        SigningKey = SigV4Signer.SigningKey(secretKey, date, "us-east-1", "s3");
        SeedSignature = SigV4Signer.Signature(SigningKey, SigV4Signer.StringToSign(headers["x-amz-date"], scope, canonical));
        AmzDate = headers["x-amz-date"];
        Scope = scope;

        foreach (var (name, value) in headers)
        {
            if (name == "host")
            {
                continue;
            }

            if (name.StartsWith("content-", StringComparison.Ordinal))
            {
                content.Headers.Remove(name);
                content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope},SignedHeaders={string.Join(';', headers.Keys)},Signature={SeedSignature}");
        return request;
    }

    /// <summary>Signing key of the last signed request.</summary>
    public byte[] SigningKey { get; private set; } = [];

    /// <summary>Seed (header) signature of the last signed request.</summary>
    public string SeedSignature { get; private set; } = string.Empty;

    /// <summary>x-amz-date of the last signed request.</summary>
    public string AmzDate { get; private set; } = string.Empty;

    /// <summary>Credential scope of the last signed request.</summary>
    public string Scope { get; private set; } = string.Empty;

    /// <summary>A PUT with a literal hex payload hash (or UNSIGNED-PAYLOAD) and optional extra signed headers.</summary>
    public HttpRequestMessage PlainPut(string path, byte[] data, string? payloadHash = null, params (string Name, string Value)[] headers) =>
        SignedPut(path, new ByteArrayContent(data), payloadHash ?? Convert.ToHexStringLower(SHA256.HashData(data)), headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));

    /// <summary>
    /// An aws-chunked PUT as AWSSDK.S3 sends it: STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER), chained chunk
    /// signatures, and (with a trailer) a CRC32 trailer with its own signature.
    /// </summary>
    public HttpRequestMessage SignedChunkedPut(string path, byte[] data, int chunkSize, bool trailer, Tamper tamper = Tamper.None)
    {
        ArgumentNullException.ThrowIfNull(data);
        var mode = trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
        var signed = new List<KeyValuePair<string, string>>
        {
            new("content-encoding", "aws-chunked"),
            new("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture)),
        };
        if (trailer)
        {
            signed.Add(new("x-amz-trailer", "x-amz-checksum-crc32"));
        }

        // Sign the headers first: chunk signatures chain from the seed signature.
        var content = new ByteArrayContent([]);
        var request = SignedPut(path, content, mode, signed);
        using var body = new MemoryStream();
        void Ascii(string s) => body.Write(Encoding.ASCII.GetBytes(s));
        var previous = SeedSignature;
        string Sign(ReadOnlySpan<byte> chunk)
        {
            var sts = string.Join('\n', "AWS4-HMAC-SHA256-PAYLOAD", AmzDate, Scope, previous, _emptySha256, Convert.ToHexStringLower(SHA256.HashData(chunk)));
            previous = SigV4Signer.Signature(SigningKey, sts);
            return previous;
        }

        var first = true;
        for (var pos = 0; pos < data.Length; pos += chunkSize)
        {
            var chunk = data.AsSpan(pos, Math.Min(chunkSize, data.Length - pos)).ToArray();
            var signature = Sign(chunk);
            if (first && tamper == Tamper.BadChunkSignature)
            {
                signature = new string('0', 64);
            }

            if (first && tamper == Tamper.CorruptChunkData)
            {
                chunk[chunk.Length / 2] ^= 0x55;
            }

            Ascii($"{chunk.Length:x};chunk-signature={signature}\r\n");
            body.Write(chunk);
            Ascii("\r\n");
            first = false;
        }

        var finalSignature = Sign([]);
        Ascii($"0;chunk-signature={(tamper == Tamper.BadFinalChunkSignature ? new string('0', 64) : finalSignature)}\r\n");
        if (trailer)
        {
            var crc = Gateway.S3.Checksums.S3ChecksumHasher.Compute(Gateway.S3.Checksums.S3ChecksumAlgorithm.Crc32, data).Base64;
            if (tamper == Tamper.WrongTrailerChecksum)
            {
                crc = Convert.ToBase64String(BitConverter.GetBytes(~BitConverter.ToUInt32(Convert.FromBase64String(crc))));
            }

            var line = $"x-amz-checksum-crc32:{crc}";
            Ascii(line + "\r\n");
            var sts = string.Join('\n', "AWS4-HMAC-SHA256-TRAILER", AmzDate, Scope, previous, SigV4Signer.Sha256Hex(line + "\n"));
            var trailerSignature = tamper == Tamper.BadTrailerSignature ? new string('0', 64) : SigV4Signer.Signature(SigningKey, sts);
            Ascii($"x-amz-trailer-signature:{trailerSignature}\r\n");
        }

        Ascii("\r\n");
        var framed = new ByteArrayContent(body.ToArray());
        foreach (var h in content.Headers)
        {
            if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                framed.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
        }

        request.Content = framed;
        return request;
    }

    /// <summary>
    /// An unsigned aws-chunked PUT with a CRC32 trailer as boto3 sends it over https: plain hex chunk sizes, no
    /// Content-Length (Transfer-Encoding: chunked underneath).
    /// </summary>
    public HttpRequestMessage UnsignedTrailerPut(string path, byte[] data, int chunkSize, bool corruptData = false, bool wrongChecksum = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var body = new MemoryStream();
        var crc = Gateway.S3.Checksums.S3ChecksumHasher.Compute(Gateway.S3.Checksums.S3ChecksumAlgorithm.Crc32, data).Base64;
        if (wrongChecksum)
        {
            crc = Convert.ToBase64String(BitConverter.GetBytes(~BitConverter.ToUInt32(Convert.FromBase64String(crc))));
        }

        for (var pos = 0; pos < data.Length; pos += chunkSize)
        {
            var chunk = data.AsSpan(pos, Math.Min(chunkSize, data.Length - pos)).ToArray();
            if (pos == 0 && corruptData)
            {
                chunk[0] ^= 1;
            }

            body.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            body.Write(chunk);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n"));
        var content = new StreamContent(new NoLengthStream(body.ToArray()));
        return SignedPut(path, content, "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        [
            new("content-encoding", "aws-chunked"),
            new("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture)),
            new("x-amz-trailer", "x-amz-checksum-crc32"),
        ]);
    }

    /// <summary>A PUT signed with SigV2 in the Authorization header (AWS accessKey:signature).</summary>
    public HttpRequestMessage SigV2Put(string path, byte[] data, string? contentMd5 = null, bool breakSignature = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(endpoint, path)) { Content = new ByteArrayContent(data) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
        if (contentMd5 is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-MD5", contentMd5);
        }

        request.Headers.TryAddWithoutValidation("Date", date);
        var stringToSign = $"PUT\n{contentMd5}\napplication/octet-stream\n{date}\n{request.RequestUri!.AbsolutePath}";
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        if (breakSignature)
        {
            signature = Convert.ToBase64String(new byte[20]);
        }

        request.Headers.TryAddWithoutValidation("Authorization", $"AWS {accessKey}:{signature}");
        return request;
    }

    /// <summary>A SigV2 presigned URL (AWSAccessKeyId, Expires, Signature in the query).</summary>
    public Uri SigV2Presigned(string method, string path, DateTimeOffset expires)
    {
        var epoch = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stringToSign = $"{method}\n\n\n{epoch}\n{path}";
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return new Uri(endpoint, $"{path}?AWSAccessKeyId={Uri.EscapeDataString(accessKey)}&Expires={epoch}&Signature={Uri.EscapeDataString(signature)}");
    }

    /// <summary>A stream that hides its length, so HttpClient sends Transfer-Encoding: chunked like boto3.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
