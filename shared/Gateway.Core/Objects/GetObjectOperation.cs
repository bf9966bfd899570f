using Gateway.Core.Pipeline;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Gateway.Core.Objects;

/// <summary>
/// GetObject and HeadObject. Metadata comes from one InspectFile (HEAD never downloads); a GET body is one GetFile
/// from the range offset at the very commit that was inspected, stopped after the range length.
/// </summary>
internal sealed class GetObjectOperation : IGatewayOperation
{
    private static readonly FileExtensionContentTypeProvider _contentTypes = new();

    private readonly bool _sendBody;

    /// <param name="sendBody">True for GET, false for HEAD.</param>
    public GetObjectOperation(bool sendBody) => _sendBody = sendBody;

    /// <summary>Headers of the object (conditionals, Range, <c>response-*</c> overrides) and, for GET, its bytes.</summary>
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var found = await ObjectLookup.FindAsync(call.Pach, ObjectAddress.Of(call), call.Aborted).ConfigureAwait(false);
        S3Conditions.Evaluate(call.Request.Headers, found.ETag, found.LastModified ?? DateTimeOffset.UnixEpoch);
        var range = ByteRange.Parse(call.Request.Headers.Range.ToString(), found.Size);
        var length = range?.Length ?? found.Size;
        var content = _sendBody && length > 0
            ? await call.Pach.GetFileAsync(found.File, range?.Start ?? 0, call.Aborted).ConfigureAwait(false)
            : null;

        var response = S3Response.Object(range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent, length, content);
        var headers = response.Headers;
        headers.ETag = found.ETag;
        if (found.LastModified is { } lastModified)
        {
            headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        }

        headers.AcceptRanges = "bytes";
        headers.ContentType = ContentTypeOf(call.Key);
        if (range is { } partial)
        {
            headers.ContentRange = partial.ContentRange;
        }

        foreach (var (name, value) in S3ResponseOverrides.From(call.Target.Query))
        {
            headers[name] = value;
        }

        return response.WithHeader("x-amz-version-id", found.VersionId);
    }

    /// <summary>The Content-Type S3 would have stored for this key: by extension, else application/octet-stream.</summary>
    internal static string ContentTypeOf(string key) =>
        _contentTypes.TryGetContentType(key, out var type) ? type : "application/octet-stream";
}
