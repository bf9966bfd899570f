using Gateway.S3.Auth;
using Gateway.S3.Body;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Dispatch;

/// <summary>
/// Opens the request body through the protocol library's verifying stream (Content-MD5, hex
/// x-amz-content-sha256, x-amz-checksum-*), lazily, so that operations without a body never pay for it and
/// the body-size limit can still be changed before the first read.
/// </summary>
internal static class RequestBodyVerifier
{
    /// <summary>A factory the call uses on first access to its body.</summary>
    public static Func<Stream> For(HttpContext context, S3AuthResult auth) => () => S3RequestBody.Open(context, auth);
}
