using System.Buffers;
using System.Xml;
using Gateway.Core.Buckets;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Naming;
using Gateway.Core.Results;
using Gateway.Pachyderm;
using Gateway.S3;
using Gateway.S3.Errors;
using Gateway.S3.Xml;

namespace Gateway.Core.Objects;

/// <summary>
/// DeleteObjects: every key of one request is deleted in ONE ModifyFile stream, so the whole batch is one
/// commit (upstream made one commit per key). Keys PFS cannot hold and directory keys are reported deleted
/// without touching anything (nothing can be there, and a trailing '/' would delete a whole directory).
/// </summary>
internal sealed class DeleteObjectsOperation
{
    /// <summary>S3's limit on keys per request.</summary>
    public const int MaxKeys = 1000;

    private readonly S3ProtocolOptions _s3Options;

    public DeleteObjectsOperation(S3ProtocolOptions s3Options) => _s3Options = s3Options;

    /// <summary>Answers POST /bucket?delete.</summary>
    public async Task DeleteObjectsAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var (quiet, entries) = await ParseAsync(call, _s3Options.MaxXmlBodyBytes).ConfigureAwait(false);

        var results = new List<DeleteOutcome>(entries.Count);
        var paths = new List<string>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, versionId) in entries)
        {
            if (!string.IsNullOrEmpty(versionId) && versionId != "null")
            {
                results.Add(DeleteOutcome.Failed(key, versionId, "NotImplemented", "Deleting a specific version is not supported: PFS history is immutable."));
                continue;
            }

            if (!ObjectKey.IsDirectoryKey(key) && ObjectKey.Validate(key) is null)
            {
                var path = ObjectKey.ToPath(key);
                if (seen.Add(path))
                {
                    paths.Add(path);
                }
            }

            results.Add(DeleteOutcome.Deleted(key));
        }

        if (paths.Count > 0)
        {
            try
            {
                await call.Pach.ModifyFileAsync(bucket.WriteCommit, async w =>
                {
                    foreach (var path in paths)
                    {
                        await w.DeleteFileAsync(path, call.Aborted).ConfigureAwait(false);
                    }
                }, call.Aborted).ConfigureAwait(false);
            }
            catch (PachException e) when (!e.IsNotFound || e.Kind == PachErrorKind.FileNotFound)
            {
                // The batch is one commit: it failed as a whole, so every key reports the same error.
                var error = PachErrorMapper.Map(e, PachErrorMapper.Target.Object, call.BucketName);
                for (var i = 0; i < results.Count; i++)
                {
                    if (results[i].Code is null)
                    {
                        results[i] = DeleteOutcome.Failed(results[i].Key, null, error.Error.Code, error.Message);
                    }
                }
            }
        }

        await S3Results.WriteAsync(call, "DeleteResult", async w =>
        {
            foreach (var r in results)
            {
                if (r.Code is null)
                {
                    if (quiet)
                    {
                        continue;
                    }

                    await w.WriteStartElementAsync(null, "Deleted", null).ConfigureAwait(false);
                    await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
                    await w.WriteEndElementAsync().ConfigureAwait(false);
                }
                else
                {
                    await w.WriteStartElementAsync(null, "Error", null).ConfigureAwait(false);
                    await w.ElementAsync("Key", r.Key).ConfigureAwait(false);
                    if (r.VersionId is not null)
                    {
                        await w.ElementAsync("VersionId", r.VersionId).ConfigureAwait(false);
                    }

                    await w.ElementAsync("Code", r.Code).ConfigureAwait(false);
                    await w.ElementAsync("Message", r.Message ?? string.Empty).ConfigureAwait(false);
                    await w.WriteEndElementAsync().ConfigureAwait(false);
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Parses a Delete document; MalformedXML when it is not one or names more than 1000 keys.</summary>
    internal static async Task<(bool Quiet, List<(string Key, string? VersionId)> Entries)> ParseAsync(S3Call call, int limit)
    {
        var body = await RequestBodies.ReadSmallAsync(call, limit).ConfigureAwait(false);
        try
        {
            using var stream = new MemoryStream(body.Array!, body.Offset, body.Count, writable: false);
            return await ParseAsync(stream).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body.Array!);
        }
    }

    /// <summary>Parses a Delete document from <paramref name="stream"/>.</summary>
    internal static async Task<(bool Quiet, List<(string Key, string? VersionId)> Entries)> ParseAsync(Stream stream)
    {
        var entries = new List<(string, string?)>();
        var quiet = false;
        try
        {
            using var reader = XmlReader.Create(stream, RequestBodies.SafeXml);
            if (!await reader.ReadAsync().ConfigureAwait(false) || reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "Delete")
            {
                throw new S3Exception(S3Errors.MalformedXml);
            }

            if (reader.IsEmptyElement)
            {
                throw new S3Exception(S3Errors.MalformedXml);
            }

            await reader.ReadAsync().ConfigureAwait(false);
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    await reader.ReadAsync().ConfigureAwait(false);
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "Quiet":
                        quiet = string.Equals((await reader.ReadElementContentAsStringAsync().ConfigureAwait(false)).Trim(), "true", StringComparison.OrdinalIgnoreCase);
                        break;
                    case "Object":
                        entries.Add(await ReadObjectAsync(reader).ConfigureAwait(false));
                        if (entries.Count > MaxKeys)
                        {
                            throw new S3Exception(S3Errors.MalformedXml, "A DeleteObjects request may name at most 1000 keys.");
                        }

                        break;
                    default:
                        await reader.SkipAsync().ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3Errors.MalformedXml);
        }

        if (entries.Count == 0)
        {
            throw new S3Exception(S3Errors.MalformedXml);
        }

        return (quiet, entries);
    }

    private static async Task<(string Key, string? VersionId)> ReadObjectAsync(XmlReader reader)
    {
        string? key = null, versionId = null;
        if (reader.IsEmptyElement)
        {
            throw new S3Exception(S3Errors.MalformedXml);
        }

        await reader.ReadAsync().ConfigureAwait(false);
        while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                await reader.ReadAsync().ConfigureAwait(false);
                continue;
            }

            switch (reader.LocalName)
            {
                case "Key":
                    key = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                    break;
                case "VersionId":
                    versionId = await reader.ReadElementContentAsStringAsync().ConfigureAwait(false);
                    break;
                default:
                    await reader.SkipAsync().ConfigureAwait(false);
                    break;
            }
        }

        await reader.ReadAsync().ConfigureAwait(false);
        return string.IsNullOrEmpty(key) ? throw new S3Exception(S3Errors.MalformedXml) : (key, versionId);
    }

    private readonly record struct DeleteOutcome(string Key, string? VersionId, string? Code, string? Message)
    {
        public static DeleteOutcome Deleted(string key) => new(key, null, null, null);

        public static DeleteOutcome Failed(string key, string? versionId, string code, string message) => new(key, versionId, code, message);
    }
}
