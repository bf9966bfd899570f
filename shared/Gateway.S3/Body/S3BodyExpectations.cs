using Gateway.S3.Auth;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Body;

/// <summary>
/// What a request promised about its body: length, SHA-256, MD5 and additional checksums. Read
/// from the headers with <see cref="FromRequest"/>; verified by <see cref="S3VerifyingStream"/>.
/// </summary>
public sealed class S3BodyExpectations
{
    /// <summary>Header that names the checksum algorithm an SDK used.</summary>
    public const string SdkChecksumAlgorithmHeader = "x-amz-sdk-checksum-algorithm";

    /// <summary>Expected body length (decoded length for aws-chunked bodies); null when unknown (chunked transfer).</summary>
    public long? ContentLength { get; init; }

    /// <summary>Expected SHA-256 digest (32 bytes) from x-amz-content-sha256.</summary>
    public ReadOnlyMemory<byte>? Sha256 { get; init; }

    /// <summary>Expected MD5 digest (16 bytes) from Content-MD5.</summary>
    public ReadOnlyMemory<byte>? Md5 { get; init; }

    /// <summary>Expected additional checksum from an x-amz-checksum-* header.</summary>
    public S3Checksum? Checksum { get; init; }

    /// <summary>Algorithms to compute (and expose for echo) even without an expected value — e.g. x-amz-sdk-checksum-algorithm or a declared trailer.</summary>
    public IReadOnlyList<S3ChecksumAlgorithm> ComputeAlgorithms { get; init; } = [];

    /// <summary>Also compute MD5 when no Content-MD5 was sent (for MD5 ETags).</summary>
    public bool ComputeMd5 { get; init; }

    /// <summary>
    /// Reads the expectations of <paramref name="request"/>. Invalid Content-MD5 → InvalidDigest;
    /// an invalid or ambiguous x-amz-checksum-* header → InvalidRequest.
    /// </summary>
    public static S3BodyExpectations FromRequest(HttpRequest request, S3AuthResult auth, bool computeMd5 = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(auth);
        var headers = request.Headers;

        ReadOnlyMemory<byte>? md5 = null;
        var md5Header = headers.ContentMD5;
        if (md5Header.Count > 0)
        {
            md5 = ParseMd5(md5Header.ToString());
        }

        ReadOnlyMemory<byte>? sha = null;
        if (auth.PayloadMode == S3PayloadMode.Sha256 && auth.PayloadSha256 is not null)
        {
            sha = Convert.FromHexString(auth.PayloadSha256);
        }

        S3Checksum? checksum = null;
        foreach (var algorithm in S3ChecksumAlgorithms.All)
        {
            var value = headers[S3ChecksumAlgorithms.HeaderName(algorithm)];
            if (value.Count == 0)
            {
                continue;
            }

            if (checksum is not null)
            {
                throw new S3Exception(S3Errors.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }

            checksum = S3Checksum.TryParse(algorithm, value.ToString())
                ?? throw new S3Exception(S3Errors.InvalidRequest, $"Value for {S3ChecksumAlgorithms.HeaderName(algorithm)} header is invalid.");
        }

        var compute = new List<S3ChecksumAlgorithm>(1);
        var sdkAlgorithm = headers[SdkChecksumAlgorithmHeader].ToString();
        if (sdkAlgorithm.Length > 0)
        {
            if (!S3ChecksumAlgorithms.TryParse(sdkAlgorithm, out var a))
            {
                throw new S3Exception(S3Errors.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }

            if (checksum is not null && checksum.Algorithm != a)
            {
                throw new S3Exception(S3Errors.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }

            compute.Add(a);
        }

        return new S3BodyExpectations
        {
            ContentLength = request.ContentLength,
            Sha256 = sha,
            Md5 = md5,
            Checksum = checksum,
            ComputeAlgorithms = compute,
            ComputeMd5 = computeMd5,
        };
    }

    /// <summary>Parses a Content-MD5 value: base64 of exactly 16 bytes, else InvalidDigest.</summary>
    public static byte[] ParseMd5(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = stackalloc byte[24];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written != 16)
        {
            throw new S3Exception(S3Errors.InvalidDigest);
        }

        return buffer[..16].ToArray();
    }
}
