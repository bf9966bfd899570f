using Gateway.Core.Listing;
using Gateway.Core.Naming;

namespace Gateway.Core.History;

/// <summary>A ListObjectVersions request: what to list and where the previous page stopped.</summary>
/// <param name="Prefix">Keys start with this.</param>
/// <param name="Delimiter">Roll keys up into common prefixes at this (null: none).</param>
/// <param name="KeyMarker">Resume after this key (null: from the start).</param>
/// <param name="After">With <paramref name="KeyMarker"/>: resume after this version of it, older versions next.</param>
/// <param name="MaxKeys">Versions, delete markers and common prefixes per page.</param>
/// <param name="AsOf">Only the history up to this commit (a commit bucket); null for the whole branch.</param>
internal sealed record VersionQuery(string Prefix, string? Delimiter, string? KeyMarker, (string VersionId, CommitMark Mark)? After, int MaxKeys, CommitMark? AsOf);

/// <summary>One page of versions: entries (with whether each is its key's newest) and common prefixes, in S3's order.</summary>
internal sealed class VersionPage
{
    /// <summary>Versions and delete markers.</summary>
    public List<(VersionEntry Entry, bool IsLatest)> Entries { get; } = [];

    /// <summary>Common prefixes.</summary>
    public List<string> CommonPrefixes { get; } = [];

    /// <summary>True when more entries follow.</summary>
    public bool IsTruncated { get; set; }

    /// <summary>The key (or common prefix) of the last entry.</summary>
    public string? NextKeyMarker { get; set; }

    /// <summary>The version of the last entry (null when it is a common prefix).</summary>
    public string? NextVersionIdMarker { get; set; }

    /// <summary>Entries and prefixes.</summary>
    public int Count => Entries.Count + CommonPrefixes.Count;
}

/// <summary>
/// Lists one page of versions from a bucket's <see cref="VersionHistory"/>. The index sorts as S3 lists versions, so a
/// page is one range read starting exactly where the previous one stopped; a common prefix is reported once and the
/// read restarts past it, so keys rolled up into it cost nothing. With a commit bucket, versions newer than its commit
/// are passed over (that history is read, not skipped).
/// </summary>
internal static class VersionLister
{
    public static async Task<VersionPage> ListAsync(VersionHistory history, VersionQuery query, CancellationToken cancellationToken)
    {
        var page = new VersionPage();
        if (query.MaxKeys <= 0 || query.Prefix.Any(c => c < ' '))
        {
            return page;
        }

        var encodedPrefix = KeyCodec.EncodeForIndex(query.Prefix);
        var lower = VersionEntry.Root + encodedPrefix;
        var upper = encodedPrefix.Length == 0 ? null : ObjectLister.Successor(VersionEntry.Root + encodedPrefix);
        string? previousKey = null;
        if (query.KeyMarker is { } marker)
        {
            var start = StartAfter(marker, query.After);
            if (string.CompareOrdinal(start, lower) > 0)
            {
                lower = start;
            }

            previousKey = query.After is null ? null : marker;
        }

        string? lastPrefix = null;
        while (true)
        {
            string? restartAt = null;
            await foreach (var path in history.PathsAsync(lower, upper, cancellationToken).ConfigureAwait(false))
            {
                if (!VersionEntry.TryParse(path, out var entry) || !entry.Key.StartsWith(query.Prefix, StringComparison.Ordinal)
                    || (query.AsOf is { } asOf && entry.Seq > asOf.Seq))
                {
                    continue;
                }

                var cut = query.Delimiter is null ? -1 : entry.Key.IndexOf(query.Delimiter, query.Prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = entry.Key[..(cut + query.Delimiter!.Length)];
                    if (common != lastPrefix && (query.KeyMarker is null || string.CompareOrdinal(common, query.KeyMarker) > 0) && !Add(page, query.MaxKeys, prefix: common))
                    {
                        return page;
                    }

                    lastPrefix = common;
                    restartAt = ObjectLister.Successor(VersionEntry.Root + KeyCodec.EncodeForIndex(common));
                    if (restartAt is null || string.CompareOrdinal(restartAt, path) <= 0)
                    {
                        restartAt = path + " ";
                    }

                    break;
                }

                var isLatest = entry.Key != previousKey;
                previousKey = entry.Key;
                if (!Add(page, query.MaxKeys, entry: (entry, isLatest)))
                {
                    return page;
                }
            }

            if (restartAt is null || (upper is not null && string.CompareOrdinal(restartAt, upper) >= 0))
            {
                return page;
            }

            lower = restartAt;
        }
    }

    /// <summary>
    /// Where a page resumes: after every version of <paramref name="keyMarker"/>, or after its version
    /// <paramref name="after"/>. No key holds a control character, so a marker with one at index i resumes after the
    /// marker's first i characters.
    /// </summary>
    private static string StartAfter(string keyMarker, (string VersionId, CommitMark Mark)? after)
    {
        var control = keyMarker.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (control >= 0)
        {
            return VersionEntry.AfterKey(keyMarker[..control]);
        }

        return after is { } version ? VersionEntry.AfterVersion(keyMarker, version.Mark.Seq, version.VersionId) : VersionEntry.AfterKey(keyMarker);
    }

    /// <summary>Adds an entry or a prefix; false (and the page marked truncated) when the page was already full.</summary>
    private static bool Add(VersionPage page, int maxKeys, (VersionEntry Entry, bool IsLatest)? entry = null, string? prefix = null)
    {
        if (page.Count >= maxKeys)
        {
            page.IsTruncated = true;
            return false;
        }

        if (entry is { } e)
        {
            page.Entries.Add(e);
            page.NextKeyMarker = e.Entry.Key;
            page.NextVersionIdMarker = e.Entry.VersionId;
        }
        else
        {
            page.CommonPrefixes.Add(prefix!);
            page.NextKeyMarker = prefix;
            page.NextVersionIdMarker = null;
        }

        return true;
    }
}
