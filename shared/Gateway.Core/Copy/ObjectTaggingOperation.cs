using System.Xml;
using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Core.Results;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Gateway.S3.Xml;

namespace Gateway.Core.Copy;

/// <summary>
/// GetObjectTagging answering the empty tag set PFS files have. Copies need it: the AWS CLI v2 reads the source
/// object's tags before every multipart copy (<c>aws s3 cp s3://a/x s3://b/y</c>) and gives up on an error.
/// Tag writes stay NotImplemented (PFS has nowhere to keep them).
/// </summary>
internal static class ObjectTaggingOperation
{
    /// <summary>True for <c>GET /bucket/key?tagging</c>.</summary>
    public static bool IsGetObjectTagging(string method, S3RequestTarget target) =>
        method == "GET" && target.Bucket is not null && target.Key is not null && target.Query.Contains("tagging");

    /// <summary>NoSuchKey / NoSuchBucket like a HEAD, else an empty <c>Tagging</c> document.</summary>
    public static async Task GetAsync(S3Call call)
    {
        var key = call.Key;
        if (ObjectKey.IsDirectoryKey(key) || ObjectKey.Validate(key) is not null)
        {
            throw await BucketGuard.MissingKeyAsync(call).ConfigureAwait(false);
        }

        var bucket = call.RequiredBucket;
        var versionId = call.Target.Query.Get("versionId");
        var commit = !string.IsNullOrEmpty(versionId) && versionId != "null" ? CommitRef.ById(bucket.RepoRef, versionId) : bucket.ReadCommit;
        Gateway.Pachyderm.Protos.Pfs.FileInfo info;
        try
        {
            info = await call.Pach.InspectFileAsync(new FileRef(commit, ObjectKey.ToPath(key)), call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            throw await BucketGuard.MissingKeyAsync(call).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, commit.Id is null ? PachErrorMapper.Target.Object : PachErrorMapper.Target.Version, call.BucketName, key);
        }

        if (info.FileType != FileType.File)
        {
            throw new S3Exception(S3Errors.NoSuchKey) { Key = key };
        }

        if (info.File?.Commit?.Id is { Length: > 0 } version)
        {
            call.Response.Headers["x-amz-version-id"] = version;
        }

        await S3Results.WriteAsync(call, new EmptyTagging()).ConfigureAwait(false);
    }

    /// <summary><c>&lt;Tagging&gt;&lt;TagSet/&gt;&lt;/Tagging&gt;</c>.</summary>
    private sealed class EmptyTagging : IS3XmlDocument
    {
        public async Task WriteToAsync(XmlWriter writer)
        {
            await writer.WriteStartElementAsync(null, "Tagging", S3Xml.Namespace).ConfigureAwait(false);
            await writer.WriteStartElementAsync(null, "TagSet", null).ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
            await writer.WriteEndElementAsync().ConfigureAwait(false);
        }
    }
}
