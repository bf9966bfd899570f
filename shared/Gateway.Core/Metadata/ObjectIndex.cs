using System.Globalization;
using Gateway.Core.Listing;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace Gateway.Core.Metadata;

/// <summary>
/// The listing index on a bucket's gateway branch (docs/STATE.md): for each object the gateway wrote, one empty file
/// whose name carries what a listing shows beside the key, and the content it describes:
/// <code>/index/&lt;index-encoded key&gt; /&lt;pachd hash hex&gt;-&lt;size&gt;-&lt;ETag without quotes&gt;</code>
/// The index encoding escapes the space, so "key + space" sorts before every longer key and index paths sort as keys
/// do: the entries of consecutive keys are one path range, read with one GlobFile and no file opened. An entry counts
/// only while its hash and size are those of the file listed, so content changed by other means falls back cleanly.
/// </summary>
internal static class ObjectIndex
{
    private const string _root = "/index/";
    private const string _keyEnd = " /";
    private const string _deletedMark = "deleted~";

    /// <summary>The directory holding the entry of <paramref name="key"/> (deleted and rewritten on every write).</summary>
    public static string EntryDirectory(string key) => _root + KeyCodec.EncodeForIndex(key) + _keyEnd;

    /// <summary>The entry of <paramref name="key"/> whose content has <paramref name="hash"/> and <paramref name="size"/>.</summary>
    public static string EntryPath(string key, string hash, long size, string etag) =>
        EntryDirectory(key) + hash + "-" + size.ToString(CultureInfo.InvariantCulture) + "-" + etag.Trim('"');

    /// <summary>
    /// The mark a delete through the gateway leaves in place of the key's entry: the commit that deleted it, so that a
    /// read of the deleted key can answer with its delete marker. A write of the key removes it with the entry.
    /// </summary>
    public static string DeletionPath(string key, string commitId) => EntryDirectory(key) + _deletedMark + commitId;

    /// <summary>The commit that deleted <paramref name="key"/> through the gateway, when that is the last thing that happened to it.</summary>
    public static async Task<string?> DeletedInAsync(IPachClient pach, BucketAddress bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var info in pach.ListFileAsync(new FileRef(GatewayBranch.Of(bucket).Head, EntryDirectory(key)), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var name = info.File?.Path ?? string.Empty;
                var mark = name.LastIndexOf(_deletedMark, StringComparison.Ordinal);
                if (mark >= 0 && BucketName.IsCommitId(name[(mark + _deletedMark.Length)..]))
                {
                    return name[(mark + _deletedMark.Length)..];
                }
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            // Never written or deleted through the gateway.
        }

        return null;
    }

    /// <summary>Reads an entry path back; false for anything else.</summary>
    public static bool TryParse(string path, out string key, out string hash, out long size, out string etag)
    {
        key = hash = etag = string.Empty;
        if (!TryParseFields(path, out var keyEnd, out var hashField, out size, out var etagField))
        {
            return false;
        }

        key = KeyCodec.DecodeIndex(path[_root.Length..keyEnd]);
        hash = hashField.ToString();
        etag = string.Concat("\"", etagField, "\"");
        return true;
    }

    /// <summary>
    /// The fields of an entry path, read in place: where the encoded key ends, and the hash, size and ETag (unquoted)
    /// that follow it as <c>hash-size-etag</c> (the ETag may hold '-').
    /// </summary>
    private static bool TryParseFields(string path, out int keyEnd, out ReadOnlySpan<char> hash, out long size, out ReadOnlySpan<char> etag)
    {
        hash = etag = default;
        size = 0;
        keyEnd = path.LastIndexOf(_keyEnd, StringComparison.Ordinal);
        if (!path.StartsWith(_root, StringComparison.Ordinal) || keyEnd < _root.Length)
        {
            return false;
        }

        var fields = path.AsSpan(keyEnd + _keyEnd.Length);
        var first = fields.IndexOf('-');
        var second = first < 0 ? -1 : fields[(first + 1)..].IndexOf('-');
        if (first <= 0 || second < 0)
        {
            return false;
        }

        second += first + 1;
        hash = fields[..first];
        etag = fields[(second + 1)..];
        return long.TryParse(fields[(first + 1)..second], NumberStyles.None, CultureInfo.InvariantCulture, out size) && etag.Length > 0;
    }

    /// <summary>
    /// The stored ETags of <paramref name="objects"/> (a listing page), by key, for the objects whose entry still
    /// describes the listed content. One GlobFile per run of consecutive keys, whatever the number of objects.
    /// </summary>
    public static async Task<Dictionary<string, string>> ETagsAsync(IPachClient pach, BucketAddress bucket, IReadOnlyList<ListedObject> objects, CancellationToken cancellationToken)
    {
        var etags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (objects.Count == 0)
        {
            return etags;
        }

        var listed = objects.ToDictionary(o => o.Key, StringComparer.Ordinal);
        var head = GatewayBranch.Of(bucket).Head;
        try
        {
            foreach (var run in objects.GroupBy(o => o.Run))
            {
                var range = new PathRange { Lower = EntryDirectory(run.First().Key), Upper = _root + KeyCodec.EncodeForIndex(run.Last().Key) + " 0" };
                await foreach (var info in pach.GlobFileAsync(head, _root + "**", range, cancellationToken).ConfigureAwait(false))
                {
                    var path = info.File?.Path ?? string.Empty;
                    if (info.FileType == FileType.File && TryParseFields(path, out var keyEnd, out var hash, out var size, out var etag)
                        && listed.TryGetValue(KeyCodec.DecodeIndex(path[_root.Length..keyEnd]), out var o) && hash.SequenceEqual(o.Hash) && o.Size == size)
                    {
                        etags[o.Key] = string.Concat("\"", etag, "\"");
                    }
                }
            }
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound or PachErrorKind.FileNotFound)
        {
            // No gateway branch yet: no object of this bucket was written through the gateway.
        }

        return etags;
    }
}
