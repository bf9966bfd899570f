using System.Text.Json;
using Gateway.Core.Logging;
using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Metadata;

/// <summary>
/// Object records on a bucket's gateway branch (docs/STATE.md): one JSON file per key and content,
/// <code>/objects/&lt;index-encoded key&gt; /&lt;pachd hash hex&gt;-&lt;size&gt;</code>
/// so every version of an object keeps its record and a read finds the record of the content it reads with one
/// GetFile. Each write also rewrites the key's listing entry (<see cref="ObjectIndex"/>), in the same commit.
/// </summary>
internal static class ObjectRecords
{
    private const string _root = "/objects/";
    private const int _concurrentReads = 8;

    /// <summary>Where the record of <paramref name="key"/> with this content lives.</summary>
    public static string RecordPath(string key, string hash, long size) =>
        _root + KeyCodec.EncodeForIndex(key) + " /" + hash + "-" + size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The record of the version found, or null when the gateway holds none for that content.</summary>
    public static Task<ObjectRecord?> ReadAsync(IPachClient pach, BucketAddress bucket, string key, StoredObject found, CancellationToken cancellationToken) =>
        ReadAsync(pach, bucket, key, found.Hash, found.Size, cancellationToken);

    /// <summary>The record of <paramref name="key"/> with this content, or null when the gateway holds none.</summary>
    public static async Task<ObjectRecord?> ReadAsync(IPachClient pach, BucketAddress bucket, string key, string hash, long size, CancellationToken cancellationToken)
    {
        var file = new FileRef(GatewayBranch.Of(bucket).Head, RecordPath(key, hash, size));
        try
        {
            var stream = await pach.GetFileAsync(file, 0, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var record = await JsonSerializer.DeserializeAsync(stream, ObjectRecordJson.Default.ObjectRecord, cancellationToken).ConfigureAwait(false);
                return record is not null && record.Hash == hash && record.Size == size ? record : null;
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            return null;
        }
        catch (JsonException)
        {
            // Not a record of ours (written by other means): as if there were none.
            return null;
        }
    }

    /// <summary>
    /// The ETags recorded for each (key, content) of <paramref name="items"/>, in order (null where there is none): one
    /// record read each, a few at a time. For the rare pages the listing index cannot serve (history, commit buckets).
    /// </summary>
    public static async Task<string?[]> ReadETagsAsync(IPachClient pach, BucketAddress bucket, IReadOnlyList<(string Key, string Hash, long Size)> items, CancellationToken cancellationToken)
    {
        var etags = new string?[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _concurrentReads, CancellationToken = cancellationToken };
        await Parallel.ForAsync(0, items.Count, options, async (i, ct) =>
            etags[i] = (await ReadAsync(pach, bucket, items[i].Key, items[i].Hash, items[i].Size, ct).ConfigureAwait(false))?.ETag).ConfigureAwait(false);
        return etags;
    }

    /// <summary>
    /// Writes <paramref name="record"/> for <paramref name="key"/> in one commit on the bucket's gateway branch; with
    /// <paramref name="current"/> false (a record of an older version) the key's listing entry is left alone.
    /// </summary>
    public static Task WriteAsync(IPachClient pach, BucketAddress bucket, string key, ObjectRecord record, CancellationToken cancellationToken, bool current = true) =>
        GatewayBranch.ModifyAsync(pach, bucket, w => WriteAsync(w, key, record, cancellationToken, current), cancellationToken);

    /// <summary>Writes the record and (for the current version) the key's listing entry inside a ModifyFile on the gateway branch.</summary>
    public static async Task WriteAsync(IModifyFileWriter writer, string key, ObjectRecord record, CancellationToken cancellationToken, bool current = true)
    {
        if (current)
        {
            await writer.DeleteFileAsync(ObjectIndex.EntryDirectory(key), cancellationToken).ConfigureAwait(false);
            await writer.AddFileAsync(ObjectIndex.EntryPath(key, record.Hash, record.Size, record.ETag), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        }

        var path = RecordPath(key, record.Hash, record.Size);
        await writer.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
        await writer.AddFileAsync(path, JsonSerializer.SerializeToUtf8Bytes(record, ObjectRecordJson.Default.ObjectRecord), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the listing entries of deleted keys and marks them deleted in <paramref name="deletedIn"/> (one commit, none
    /// when the bucket has no gateway branch), best effort. The records of their versions stay, so older versions keep
    /// their metadata.
    /// </summary>
    public static async Task ForgetAsync(IPachClient pach, BucketAddress bucket, IReadOnlyCollection<string> keys, string? deletedIn, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        try
        {
            await pach.ModifyFileAsync(GatewayBranch.Of(bucket).Head, async w =>
            {
                foreach (var key in keys)
                {
                    await w.DeleteFileAsync(ObjectIndex.EntryDirectory(key), cancellationToken).ConfigureAwait(false);
                    if (deletedIn is not null)
                    {
                        await w.AddFileAsync(ObjectIndex.DeletionPath(key, deletedIn), ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind != PachErrorKind.Cancelled)
        {
            // Nothing was ever recorded for this bucket, or the entries stay: a stale entry is harmless, since a
            // listing uses an entry only for the very content it names.
        }
    }
}
