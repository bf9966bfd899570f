using System.Buffers;
using System.Globalization;
using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// GetObject and HeadObject. Metadata comes from one InspectFile (HEAD never downloads); a GET body is one
/// GetFile from the range offset at the very commit that was inspected, copied through a pooled buffer and
/// stopped after the range length.
/// </summary>
internal sealed class ObjectReads
{
    private static readonly FileExtensionContentTypeProvider _contentTypes = new();

    private readonly GatewayOptions _options;

    public ObjectReads(IOptions<GatewayOptions> options) => _options = options.Value;

    /// <summary>HEAD: headers of GET, no body, InspectFile only.</summary>
    public Task HeadObjectAsync(S3Call call) => ReadAsync(call, sendBody: false);

    /// <summary>GET with Range, conditionals and response-* overrides.</summary>
    public Task GetObjectAsync(S3Call call) => ReadAsync(call, sendBody: true);

    /// <summary>The Content-Type S3 would have stored for this key: by extension, else application/octet-stream.</summary>
    internal static string ContentTypeOf(string key) =>
        _contentTypes.TryGetContentType(key, out var type) ? type : "application/octet-stream";

    private async Task ReadAsync(S3Call call, bool sendBody)
    {
        var key = call.Key;
        var info = await InspectAsync(call, key).ConfigureAwait(false);
        var etag = ETag.FromHash(info.Hash);
        var lastModified = info.Committed?.ToDateTimeOffset();
        S3Conditions.Evaluate(call.Request.Headers, etag, lastModified ?? DateTimeOffset.UnixEpoch);

        var size = info.SizeBytes;
        var response = call.Response;
        var headers = response.Headers;
        headers.ETag = etag;
        if (lastModified is { } lm)
        {
            headers.LastModified = HeaderUtilities.FormatDate(lm);
        }

        headers.AcceptRanges = "bytes";
        var versionId = info.File?.Commit?.Id;
        if (!string.IsNullOrEmpty(versionId))
        {
            headers["x-amz-version-id"] = versionId;
        }

        response.ContentType = ContentTypeOf(key);
        S3ResponseOverrides.Apply(response, call.Target.Query);

        var range = ParseRange(call, size);
        if (range is { } partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            headers.ContentRange = partial.ContentRange;
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        var offset = range?.Start ?? 0;
        var length = range?.Length ?? size;
        response.ContentLength = length;
        if (!sendBody || length == 0)
        {
            return;
        }

        var at = string.IsNullOrEmpty(versionId) ? ReadCommit(call) : CommitRef.ById(call.RequiredBucket.RepoRef, versionId);
        await CopyBodyAsync(call, new FileRef(at, ObjectKey.ToPath(key)), offset, length).ConfigureAwait(false);
    }

    /// <summary>
    /// The file's metadata; NoSuchKey for directories, keys PFS cannot hold and missing files (NoSuchBucket
    /// when the branch is missing, NoSuchVersion when the versionId is unknown).
    /// </summary>
    private static async Task<FileInfo> InspectAsync(S3Call call, string key)
    {
        if (ObjectKey.IsDirectoryKey(key) || ObjectKey.Validate(key) is not null)
        {
            // PFS cannot hold such a key, so nothing is there; still tell a missing bucket apart.
            throw await BucketGuard.MissingKeyAsync(call).ConfigureAwait(false);
        }

        var commit = ReadCommit(call);
        var versioned = commit.Id is not null;
        FileInfo info;
        try
        {
            info = await call.Pach.InspectFileAsync(new FileRef(commit, ObjectKey.ToPath(key)), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            throw await BucketGuard.MissingKeyAsync(call).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.CommitNotFound && versioned)
        {
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
            throw new S3Exception(S3Errors.NoSuchVersion) { Key = key }.WithDetail("VersionId", commit.Id!);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, versioned ? PachErrorMapper.Target.Version : PachErrorMapper.Target.Object, call.BucketName, key);
        }

        if (info.FileType != FileType.File)
        {
            throw new S3Exception(S3Errors.NoSuchKey) { Key = key };
        }

        return info;
    }

    /// <summary>
    /// The requested range (null: the whole object). An unsatisfiable range is 416 InvalidRange carrying
    /// <c>Content-Range: bytes */size</c>, which clients use to learn the size.
    /// </summary>
    private static ByteRange? ParseRange(S3Call call, long size)
    {
        var header = call.Request.Headers.Range.ToString();
        try
        {
            return ByteRange.Parse(header, size);
        }
        catch (S3Exception e) when (ReferenceEquals(e.Error, S3Errors.InvalidRange))
        {
            var withSize = new S3Exception(S3Errors.InvalidRange, e.Message)
            {
                Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                {
                    [HeaderNames.ContentRange] = "bytes */" + size.ToString(CultureInfo.InvariantCulture),
                },
            };
            foreach (var (name, value) in e.Details)
            {
                withSize.WithDetail(name, value);
            }

            throw withSize;
        }
    }

    /// <summary>The commit a read uses: <c>versionId</c> if given, else the bucket's (pinned commit or branch head).</summary>
    private static CommitRef ReadCommit(S3Call call)
    {
        var bucket = call.RequiredBucket;
        var versionId = call.Target.Query.Get("versionId");
        if (!string.IsNullOrEmpty(versionId) && versionId != "null")
        {
            return new CommitRef(bucket.RepoRef, null, versionId);
        }

        return bucket.ReadCommit;
    }

    private async Task CopyBodyAsync(S3Call call, FileRef file, long offset, long length)
    {
        var response = call.Response;
        var remaining = length;
        var buffer = ArrayPool<byte>.Shared.Rent(_options.CopyBufferSize);
        try
        {
            var source = await call.Pach.GetFileAsync(file, offset, call.Aborted).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                while (remaining > 0)
                {
                    var want = (int)Math.Min(buffer.Length, remaining);
                    var read = await source.ReadAsync(buffer.AsMemory(0, want), call.Aborted).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    await response.Body.WriteAsync(buffer.AsMemory(0, read), call.Aborted).ConfigureAwait(false);
                    remaining -= read;
                }
            }
        }
        catch (PachException e) when (!response.HasStarted)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, call.Key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (remaining > 0)
        {
            // The file shrank under us or the stream broke: a short body with the promised length would be
            // silently wrong, so end the connection instead.
            throw new IOException("pachd ended the file before the promised length.");
        }
    }
}
