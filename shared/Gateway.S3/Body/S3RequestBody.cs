using System.Globalization;
using Gateway.S3.Auth;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Body;

/// <summary>
/// Entry point for reading a request body: returns a <see cref="S3VerifyingStream"/> that decodes
/// aws-chunked framing when present and checks everything the request promised as it is read.
/// </summary>
public static class S3RequestBody
{
    /// <summary>Header carrying the decoded length of an aws-chunked body.</summary>
    public const string DecodedContentLengthHeader = "x-amz-decoded-content-length";

    /// <summary>Header declaring trailing headers of an aws-chunked body.</summary>
    public const string TrailerHeader = "x-amz-trailer";

    /// <summary>
    /// Opens the body of <paramref name="context"/> for reading with verification. For aws-chunked
    /// payloads the returned stream yields the decoded object bytes; chunk and trailer signatures and
    /// trailing checksums are verified before end-of-stream.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="auth">The result of authentication (gives the payload mode and signing state).</param>
    /// <param name="computeMd5">Also compute MD5 (e.g. for MD5 ETags).</param>
    public static S3VerifyingStream Open(HttpContext context, S3AuthResult auth, bool computeMd5 = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(auth);
        var request = context.Request;
        var expectations = S3BodyExpectations.FromRequest(request, auth, computeMd5);
        if (!S3ContentSha256.IsStreaming(auth.PayloadMode))
        {
            return new S3VerifyingStream(request.Body, expectations);
        }

        if (auth.PayloadMode == S3PayloadMode.StreamingEcdsa)
        {
            throw S3Exception.NotImplemented("SigV4A streaming payloads");
        }

        var declared = ParseTrailerHeader(request.Headers[TrailerHeader].ToString());
        if (declared.Count > 0 && auth.PayloadMode == S3PayloadMode.StreamingSigned)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "x-amz-trailer requires a -TRAILER x-amz-content-sha256 value.");
        }

        var compute = new List<S3ChecksumAlgorithm>(expectations.ComputeAlgorithms);
        foreach (var name in declared)
        {
            if (!S3ChecksumAlgorithms.TryParseHeaderName(name, out var algorithm))
            {
                throw new S3Exception(S3Errors.InvalidRequest, $"The trailer {name} is not a supported checksum.");
            }

            if (!compute.Contains(algorithm))
            {
                compute.Add(algorithm);
            }
        }

        var chunked = new AwsChunkedStream(request.Body, auth.PayloadMode, auth.Signing, declared);
        var decodedExpectations = new S3BodyExpectations
        {
            ContentLength = ParseDecodedLength(request.Headers[DecodedContentLengthHeader].ToString()),
            Md5 = expectations.Md5,
            Checksum = expectations.Checksum,
            ComputeAlgorithms = compute,
            ComputeMd5 = computeMd5,
        };
        return new S3VerifyingStream(chunked, decodedExpectations, () => chunked.TrailingChecksums, leaveOpen: false);
    }

    /// <summary>The length of the object carried by the request: decoded length for aws-chunked bodies, else Content-Length.</summary>
    public static long? ObjectLength(HttpRequest request, S3AuthResult auth)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(auth);
        return S3ContentSha256.IsStreaming(auth.PayloadMode)
            ? ParseDecodedLength(request.Headers[DecodedContentLengthHeader].ToString())
            : request.ContentLength;
    }

    private static long? ParseDecodedLength(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw S3Exception.InvalidArgument("x-amz-decoded-content-length must be a non-negative integer", DecodedContentLengthHeader, value);
        }

        return n;
    }

    private static List<string> ParseTrailerHeader(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => v.ToLowerInvariant())];
}
