namespace Gateway.S3.Auth;

/// <summary>How a request was authenticated.</summary>
public enum S3AuthMethod
{
    /// <summary>No Authorization header and no presigned parameters.</summary>
    Anonymous = 0,

    /// <summary>AWS Signature Version 4 in the Authorization header.</summary>
    SigV4Header,

    /// <summary>AWS Signature Version 4 in the query string (presigned URL).</summary>
    SigV4Query,

    /// <summary>AWS Signature Version 2 (header or query).</summary>
    SigV2,
}
