using Gateway.Core.Metadata;
using Gateway.Core.Pipeline;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Tags;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Gateway.Core.Objects;

/// <summary>
/// GetObject and HeadObject. The content's description comes from one InspectFile and its record (ETag, metadata,
/// tags, checksum, part sizes) from one GetFile on the gateway branch; HEAD never downloads. A GET body is one GetFile
/// from the range (or part) offset at the very commit that was inspected, stopped after its length. A GET of a whole
/// object needs no InspectFile where the server describes the file it serves (LocalPachd): the GetFile that
/// streams the body also describes it.
/// </summary>
internal sealed class GetObjectOperation : IGatewayOperation
{
    /// <summary>S3's Content-Type of an object stored without one.</summary>
    private const string _defaultContentType = "binary/octet-stream";

    private static readonly FileExtensionContentTypeProvider _contentTypes = new();

    private readonly bool _sendBody;

    /// <param name="sendBody">True for GET, false for HEAD.</param>
    public GetObjectOperation(bool sendBody) => _sendBody = sendBody;

    /// <summary>Headers of the object (conditionals, Range or partNumber, <c>response-*</c> overrides) and, for GET, its bytes.</summary>
    public async Task<S3Response> RunAsync(S3Call call)
    {
        var overrides = S3ResponseOverrides.From(call.Target.Query);
        var address = ObjectAddress.Of(call);
        if (_sendBody && call.Request.Headers.Range.Count == 0 && call.Target.Query.Get("partNumber") is null)
        {
            // The whole object: its description and its bytes from one read where pachd allows it.
            var (whole, content) = await ObjectLookup.OpenAsync(call.Pach, address, call.Aborted).ConfigureAwait(false);
            try
            {
                S3Conditions.Evaluate(call.Request.Headers, whole.ETag, whole.LastModified ?? DateTimeOffset.UnixEpoch);
            }
            catch
            {
                if (content is not null)
                {
                    await content.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }

            return Respond(call, overrides, whole, null, null, content);
        }

        var found = await ObjectLookup.FindAsync(call.Pach, address, call.Aborted).ConfigureAwait(false);
        S3Conditions.Evaluate(call.Request.Headers, found.ETag, found.LastModified ?? DateTimeOffset.UnixEpoch);
        var (range, partsCount) = Slice(call, found, found.Record);
        var length = range?.Length ?? found.Size;
        var body = _sendBody && length > 0
            ? await call.Pach.GetFileAsync(found.File, range?.Start ?? 0, call.Aborted).ConfigureAwait(false)
            : null;
        return Respond(call, overrides, found, range, partsCount, body);
    }

    private static S3Response Respond(S3Call call, IReadOnlyList<KeyValuePair<string, string>> overrides, StoredObject found, ByteRange? range, int? partsCount, Stream? content)
    {
        var record = found.Record;
        var etag = found.ETag;
        var length = range?.Length ?? found.Size;
        var response = S3Response.Object(range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent, length, content);
        var headers = response.Headers;
        headers.ETag = etag;
        if (found.LastModified is { } lastModified)
        {
            headers.LastModified = HeaderUtilities.FormatDate(lastModified);
        }

        headers.AcceptRanges = "bytes";
        if (record is null)
        {
            headers.ContentType = ContentTypeOf(call.Key);
        }
        else
        {
            record.Metadata?.ApplyTo(headers);
            headers.ContentType = record.Metadata?.ContentType ?? _defaultContentType;
            record.Tags?.ApplyCountTo(headers);
            if (range is null)
            {
                S3ChecksumHeaders.ApplyIfRequested(call.Request, headers, record.Checksum);
            }
        }

        if (range is { } partial)
        {
            headers.ContentRange = partial.ContentRange;
        }

        if (partsCount is { } count)
        {
            headers["x-amz-mp-parts-count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in overrides)
        {
            headers[name] = value;
        }

        return response.WithHeader("x-amz-version-id", found.VersionId);
    }

    /// <summary>The Content-Type S3 would have stored for this key: by extension, else application/octet-stream.</summary>
    internal static string ContentTypeOf(string key) =>
        _contentTypes.TryGetContentType(key, out var type) ? type : "application/octet-stream";

    /// <summary>
    /// The bytes asked for: a Range, or the part <c>partNumber</c> names (with the object's part count when it is a
    /// multipart object); null for the whole object.
    /// </summary>
    private static (ByteRange? Range, int? PartsCount) Slice(S3Call call, StoredObject found, ObjectRecord? record)
    {
        var rangeHeader = call.Request.Headers.Range.ToString();
        if (call.Target.Query.Get("partNumber") is not { } partText)
        {
            return (ByteRange.Parse(rangeHeader, found.Size), null);
        }

        if (rangeHeader.Length > 0)
        {
            throw new S3Exception(S3Errors.InvalidRequest, "Cannot specify both Range header and partNumber query parameter.");
        }

        var part = S3ListParameters.ParsePartNumber(partText);
        if (record?.PartSizes is not { Count: > 0 } sizes)
        {
            // A single-part object is its own part 1.
            return part == 1 ? (null, null) : throw S3Exception.InvalidPartNumber(part, 1);
        }

        if (part > sizes.Count)
        {
            throw S3Exception.InvalidPartNumber(part, sizes.Count);
        }

        var start = sizes.Take(part - 1).Sum();
        return (new ByteRange(start, sizes[part - 1], found.Size), sizes.Count);
    }
}
