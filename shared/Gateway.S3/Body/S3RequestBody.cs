using Gateway.S3.Auth;
using Gateway.S3.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Body;

/// <summary>
/// Entry point for reading a request body: returns a <see cref="S3VerifyingStream"/> that checks
/// what the request promised as it is read.
/// </summary>
public static class S3RequestBody
{
    /// <summary>
    /// Opens the body of <paramref name="context"/> for reading with verification.
    /// aws-chunked payloads (STREAMING-*) are answered with NotImplemented naming the mode.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="auth">The result of authentication (gives the payload mode and signing state).</param>
    /// <param name="computeMd5">Also compute MD5 for use as an ETag.</param>
    public static S3VerifyingStream Open(HttpContext context, S3AuthResult auth, bool computeMd5 = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(auth);
        var expectations = S3BodyExpectations.FromRequest(context.Request, auth, computeMd5);
        if (S3ContentSha256.IsStreaming(auth.PayloadMode))
        {
            throw S3Exception.NotImplemented($"aws-chunked uploads (x-amz-content-sha256: {context.Request.Headers[S3ContentSha256.HeaderName]})");
        }

        return new S3VerifyingStream(context.Request.Body, expectations);
    }
}
