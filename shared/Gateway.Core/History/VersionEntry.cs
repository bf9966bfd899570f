using System.Globalization;
using Gateway.Core.Naming;

namespace Gateway.Core.History;

/// <summary>
/// One version of one key in the history index (docs/HISTORY.md): an empty file on the bucket's gateway branch whose
/// path says everything a version listing shows, so a page of versions is one path range and no file is opened.
/// <code>
/// /history/keys/&lt;key in index form&gt; /&lt;inverted seq&gt;-&lt;commit&gt;-&lt;ms&gt;-v-&lt;hash hex&gt;-&lt;size&gt;[-&lt;ETag&gt;]
/// /history/keys/&lt;key in index form&gt; /&lt;inverted seq&gt;-&lt;commit&gt;-&lt;ms&gt;-d
/// </code>
/// The sequence number is the commit's position in the branch's history (its first commit is 1), written inverted
/// and zero-padded so that a key's versions sort newest first; "key + space" sorts before every longer key (the
/// index form escapes the space), so all entries sort as S3 lists versions: by key, then newest first.
/// </summary>
/// <param name="Key">The object key.</param>
/// <param name="VersionId">The commit in which the key changed.</param>
/// <param name="Seq">The commit's position in the branch's history.</param>
/// <param name="LastModified">When that commit finished.</param>
/// <param name="IsDeleteMarker">True when the key was deleted in that commit.</param>
/// <param name="Hash">pachd's hash of the content, lower-case hex (empty for a delete marker).</param>
/// <param name="Size">Bytes of the content.</param>
/// <param name="ETag">The stored ETag without quotes, when the gateway recorded one.</param>
internal sealed record VersionEntry(string Key, string VersionId, long Seq, DateTimeOffset LastModified, bool IsDeleteMarker, string Hash, long Size, string? ETag)
{
    /// <summary>Where all entries live.</summary>
    public const string Root = "/history/keys/";

    private const string _keyEnd = " /";
    private const long _seqCeiling = 999_999_999_999_999;

    /// <summary>The directory of <paramref name="key"/>'s entries.</summary>
    public static string KeyDirectory(string key) => Root + KeyCodec.EncodeForIndex(key) + _keyEnd;

    /// <summary>The first path after every entry of <paramref name="key"/> and before every longer key's.</summary>
    public static string AfterKey(string key) => Root + KeyCodec.EncodeForIndex(key) + " 0";

    /// <summary>The first path after the entry of <paramref name="key"/> at <paramref name="seq"/> (its older versions follow).</summary>
    public static string AfterVersion(string key, long seq, string versionId) => KeyDirectory(key) + Inverted(seq) + "-" + versionId + "~";

    /// <summary>This entry's path.</summary>
    public string Path
    {
        get
        {
            var head = KeyDirectory(Key) + Inverted(Seq) + "-" + VersionId + "-" + LastModified.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            if (IsDeleteMarker)
            {
                return head + "-d";
            }

            var content = head + "-v-" + Hash + "-" + Size.ToString(CultureInfo.InvariantCulture);
            return ETag is null ? content : content + "-" + ETag.Trim('"');
        }
    }

    /// <summary>Reads an entry path back; false for anything else.</summary>
    public static bool TryParse(string path, out VersionEntry entry)
    {
        entry = null!;
        var end = path.LastIndexOf(_keyEnd, StringComparison.Ordinal);
        if (!path.StartsWith(Root, StringComparison.Ordinal) || end < Root.Length)
        {
            return false;
        }

        var f = path[(end + _keyEnd.Length)..].Split('-', 7);
        if (f.Length < 4 || !long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inverted) || !BucketName.IsCommitId(f[1])
            || !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        var key = KeyCodec.DecodeIndex(path[Root.Length..end]);
        var modified = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        var seq = _seqCeiling - inverted;
        if (f is [_, _, _, "d"])
        {
            entry = new VersionEntry(key, f[1], seq, modified, true, string.Empty, 0, null);
            return true;
        }

        if (f.Length < 6 || f[3] != "v" || f[4].Length == 0 || !long.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }

        entry = new VersionEntry(key, f[1], seq, modified, false, f[4], size, f.Length == 7 && f[6].Length > 0 ? f[6] : null);
        return true;
    }

    private static string Inverted(long seq) => (_seqCeiling - seq).ToString("D15", CultureInfo.InvariantCulture);
}
