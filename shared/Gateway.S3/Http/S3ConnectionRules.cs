using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Http;

/// <summary>When a response must end its connection so that client and server stay in step.</summary>
internal static class S3ConnectionRules
{
    /// <summary>
    /// True when the connection should close after this response:
    /// <list type="bullet">
    /// <item>an error decided before a declared body was read: a client that sent <c>Expect: 100-continue</c> may
    /// never send it, while Kestrel would drain the declared length from the next request on the connection;</item>
    /// <item>any final response to <c>Expect: 100-continue</c> with an empty body, which Kestrel answers without a
    /// <c>100 Continue</c>. botocore then keeps that status line as the connection's next response: its next request
    /// with <c>Expect</c> on the same connection reads a stale status, misparses the real answer and waits for its
    /// read timeout (60 s in the AWS CLI's <c>s3 sync</c> of a folder holding an empty file).</item>
    /// </list>
    /// </summary>
    public static bool ShouldClose(HttpRequest request, bool beforeBodyRead) =>
        (beforeBodyRead && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        || (request.ContentLength == 0 && request.Headers.Expect.Any(e => e?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true));
}
