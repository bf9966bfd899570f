namespace Gateway.S3.Auth;

/// <summary>What <c>x-amz-content-sha256</c> promises about the body.</summary>
public enum S3PayloadMode
{
    /// <summary>No header (anonymous requests): nothing promised.</summary>
    None = 0,

    /// <summary><c>UNSIGNED-PAYLOAD</c>.</summary>
    Unsigned,

    /// <summary>A 64-hex SHA-256 of the body, verified as the body is read.</summary>
    Sha256,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c>: aws-chunked with chunk signatures.</summary>
    StreamingSigned,

    /// <summary><c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER</c>: signed chunks plus a signed trailer.</summary>
    StreamingSignedTrailer,

    /// <summary><c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>: aws-chunked without signatures, trailer checksum.</summary>
    StreamingUnsignedTrailer,

    /// <summary><c>STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]</c> (SigV4a): not supported.</summary>
    StreamingEcdsa,
}
