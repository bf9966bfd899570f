using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Body;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// PutObject and DeleteObject. A PUT streams the verified body into one ModifyFile on the branch head (one
/// commit); when verification fails at the end of the body the exception escapes the writer, the gRPC call is
/// cancelled and pachd commits nothing. Branches are never created implicitly.
/// </summary>
internal sealed class ObjectWrites
{
    private const string _checksumHeaderPrefix = "x-amz-checksum-";

    private readonly GatewayOptions _options;

    public ObjectWrites(IOptions<GatewayOptions> options) => _options = options.Value;

    /// <summary>
    /// Writes the object. A key ending in '/' (a "folder marker") with an empty body creates nothing: PFS
    /// directories exist only through their files; the answer is 200 with the empty object's ETag so that
    /// tools that make folders carry on. Such a key with data is InvalidArgument.
    /// </summary>
    public async Task PutObjectAsync(S3Call call)
    {
        var key = call.Key;
        if (ObjectKey.Validate(key) is { } why)
        {
            throw S3Exception.InvalidArgument(why, "key", key);
        }

        var declared = DeclaredLength(call);
        if (declared > _options.MaxObjectSize)
        {
            throw new S3Exception(S3Errors.EntityTooLarge).WithDetail("ProposedSize", declared.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithDetail("MaxSizeAllowed", _options.MaxObjectSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var bucket = call.RequiredBucket;
        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        if (ObjectKey.IsDirectoryKey(key))
        {
            await PutFolderMarkerAsync(call, branch).ConfigureAwait(false);
            return;
        }

        var path = ObjectKey.ToPath(key);
        await CheckWriteConditionsAsync(call, path).ConfigureAwait(false);
        try
        {
            await call.Pach.PutFileAsync(bucket.WriteCommit, path, call.Body, call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, key);
        }
        catch (Exception e) when (FindS3Exception(e) is { } s3 && !ReferenceEquals(s3, e))
        {
            // The body verifier failed inside the client's writer; surface its S3 error, not the wrapper.
            throw s3;
        }

        FileInfo info;
        try
        {
            info = await call.Pach.InspectFileAsync(new FileRef(bucket.ReadCommit, path), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, key);
        }

        var headers = call.Response.Headers;
        headers.ETag = ETag.FromHash(info.Hash);
        if (info.File?.Commit?.Id is { Length: > 0 } version)
        {
            headers["x-amz-version-id"] = version;
        }

        EchoChecksums(call);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// Idempotent: 204 whether or not the key existed. A missing key makes no commit (InspectFile first), and a
    /// directory key never deletes the directory's files.
    /// </summary>
    public async Task DeleteObjectAsync(S3Call call)
    {
        var key = call.Key;
        var bucket = call.RequiredBucket;
        if (call.Target.Query.Get("versionId") is { Length: > 0 } versionId && versionId != "null")
        {
            throw S3Exception.NotImplemented("Deleting a specific version (PFS history is immutable)");
        }

        if (ObjectKey.IsDirectoryKey(key) || ObjectKey.Validate(key) is not null)
        {
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
            call.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var path = ObjectKey.ToPath(key);
        try
        {
            var info = await call.Pach.InspectFileAsync(new FileRef(bucket.ReadCommit, path), call.Aborted).ConfigureAwait(false);
            if (info.FileType == FileType.File)
            {
                await call.Pach.ModifyFileAsync(bucket.WriteCommit, w => w.DeleteFileAsync(path, call.Aborted), call.Aborted).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, key);
        }

        call.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// Conditional PUT (<c>If-None-Match: *</c>, <c>If-Match</c>) against the current head. PFS has no
    /// compare-and-swap, so this narrows the race rather than closing it; it costs one InspectFile and only when
    /// a condition is present.
    /// </summary>
    private static async Task CheckWriteConditionsAsync(S3Call call, string path)
    {
        var headers = call.Request.Headers;
        if (headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0)
        {
            return;
        }

        FileInfo? current = null;
        try
        {
            current = await call.Pach.InspectFileAsync(new FileRef(call.RequiredBucket.ReadCommit, path), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            // Not there: only If-Match can fail now.
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName, call.Key);
        }

        var exists = current is { FileType: FileType.File };
        S3Conditions.EvaluateWrite(headers, exists, exists ? ETag.FromHash(current!.Hash) : null);
    }

    /// <summary>The object length the client promised (decoded length for aws-chunked bodies).</summary>
    internal static long? DeclaredLength(S3Call call)
    {
        if (long.TryParse(call.Request.Headers["x-amz-decoded-content-length"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var decoded))
        {
            return decoded;
        }

        return call.Request.ContentLength;
    }

    private static async Task PutFolderMarkerAsync(S3Call call, BranchInfo branch)
    {
        var probe = new byte[1];
        if (await call.Body.ReadAsync(probe, call.Aborted).ConfigureAwait(false) > 0)
        {
            throw S3Exception.InvalidArgument("A key ending in '/' is a directory in Pachyderm and cannot hold data.", "key", call.Key);
        }

        call.Response.Headers.ETag = ETag.FromHash(ReadOnlySpan<byte>.Empty);
        if (branch.Head?.Id is { Length: > 0 } head && call.RequiredBucket.CommitId is null)
        {
            call.Response.Headers["x-amz-version-id"] = head;
        }

        EchoChecksums(call);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// Echoes the checksums the body was verified against (header or aws-chunked trailer), as S3 does; falls
    /// back to the request's x-amz-checksum-* headers when the body was not read through the verifier.
    /// </summary>
    private static void EchoChecksums(S3Call call)
    {
        if (call.Body is S3VerifyingStream { IsCompleted: true } verified && verified.Checksums.Count > 0)
        {
            foreach (var checksum in verified.Checksums)
            {
                call.Response.Headers[checksum.HeaderName] = checksum.Base64;
            }

            return;
        }

        foreach (var (name, value) in call.Request.Headers)
        {
            if (name.StartsWith(_checksumHeaderPrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals("x-amz-checksum-type", StringComparison.OrdinalIgnoreCase))
            {
                call.Response.Headers[name.ToLowerInvariant()] = value;
            }
        }
    }

    private static S3Exception? FindS3Exception(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is S3Exception s3)
            {
                return s3;
            }
        }

        return e is AggregateException agg ? agg.Flatten().InnerExceptions.OfType<S3Exception>().FirstOrDefault() : null;
    }
}
