using Gateway.Core.Naming;
using Gateway.Core.Objects;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Listing;

/// <summary>
/// Lists objects of a commit one page at a time, resuming at pachd just after the previous page's last entry,
/// so a page costs the same wherever it sits in the listing (upstream re-globbed from the start every page).
/// <list type="bullet">
/// <item>Delimiter "/" with an empty prefix or one ending in "/": ListFile of that directory with a pagination
/// marker; sub-directories are the common prefixes.</item>
/// <item>Anything else: GlobFile "/**" restricted to the path range [max(prefix, marker), successor(prefix)).
/// With a delimiter, each common prefix found is reported once and the scan restarts past it, so a prefix
/// holding millions of keys costs one restart, not a walk through them.</item>
/// </list>
/// Directories are never objects; keys are paths without their leading "/".
/// </summary>
internal static class ObjectLister
{
    private const string _allFiles = "/**";

    /// <summary>Lists one page of <paramref name="query"/> at <paramref name="commit"/>.</summary>
    public static async Task<ListObjectsPage> ListAsync(IPachClient client, CommitRef commit, ListObjectsQuery query, CancellationToken cancellationToken)
    {
        var page = new ListObjectsPage();
        if (query.MaxKeys <= 0)
        {
            return page;
        }

        if (query.Prefix.Any(c => c < ' '))
        {
            // No key can hold a control character, so none starts with this prefix.
            return page;
        }

        if (query.Delimiter == "/" && (query.Prefix.Length == 0 || query.Prefix.EndsWith('/')))
        {
            await ListDirectoryAsync(client, commit, query, page, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ScanAsync(client, commit, query, page, cancellationToken).ConfigureAwait(false);
        }

        return page;
    }

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    internal static string? Successor(string prefix)
    {
        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < char.MaxValue)
            {
                chars[i]++;
                return new string(chars, 0, i + 1);
            }
        }

        return null;
    }

    private static async Task ListDirectoryAsync(IPachClient client, CommitRef commit, ListObjectsQuery query, ListObjectsPage page, CancellationToken cancellationToken)
    {
        var dir = "/" + KeyCodec.Encode(query.Prefix);
        var after = After(query);
        var marker = after is null ? null : "/" + after;

        // One extra entry tells whether the page is truncated; one more absorbs a server that treats the
        // marker as inclusive.
        var number = (long)query.MaxKeys + 2;
        try
        {
            await foreach (var info in client.ListFileAsync(new FileRef(commit, dir), marker, number, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var path = info.File?.Path ?? string.Empty;
                if (!path.StartsWith(dir, StringComparison.Ordinal) || path.Length == dir.Length)
                {
                    continue;
                }

                var stored = path[1..];
                if (after is not null && string.CompareOrdinal(stored, after) <= 0)
                {
                    continue;
                }

                var added = info.FileType switch
                {
                    FileType.Dir => Add(page, query, stored, prefix: ObjectKey.FromPath(path)),
                    FileType.File => Add(page, query, stored, obj: ToObject(page, ObjectKey.FromPath(path), info)),
                    _ => true,
                };
                if (!added)
                {
                    return;
                }
            }
        }
        catch (PachException e) when (e.Kind == PachErrorKind.FileNotFound)
        {
            // The directory does not exist: an empty listing (a missing bucket is a different error kind).
        }
    }

    private static async Task ScanAsync(IPachClient client, CommitRef commit, ListObjectsQuery query, ListObjectsPage page, CancellationToken cancellationToken)
    {
        var prefix = query.Prefix;
        var encodedPrefix = KeyCodec.Encode(prefix);
        var delimiter = string.IsNullOrEmpty(query.Delimiter) ? null : query.Delimiter;
        var after = After(query);
        var lower = after ?? encodedPrefix;
        var upper = encodedPrefix.Length == 0 ? null : Successor(encodedPrefix);
        string? lastPrefix = null;

        while (true)
        {
            var range = new PathRange { Lower = "/" + lower };
            if (upper is not null)
            {
                range.Upper = "/" + upper;
            }

            string? restartAt = null;
            await foreach (var info in client.GlobFileAsync(commit, _allFiles, range, cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType != FileType.File)
                {
                    continue;
                }

                var stored = (info.File?.Path ?? "/")[1..];
                if (upper is not null && string.CompareOrdinal(stored, upper) >= 0)
                {
                    return;
                }

                var key = KeyCodec.Decode(stored);
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || (after is not null && string.CompareOrdinal(stored, after) <= 0))
                {
                    continue;
                }

                var cut = delimiter is null ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = key[..(cut + delimiter!.Length)];
                    var encodedCommon = KeyCodec.Encode(common);
                    if (common != lastPrefix && (after is null || string.CompareOrdinal(encodedCommon, after) > 0) && !Add(page, query, encodedCommon, prefix: common))
                    {
                        return;
                    }

                    // Skip every key under this common prefix with a new scan rather than reading past them. A name
                    // written by other means may sort apart from its key's encoding: never restart behind this entry.
                    lastPrefix = common;
                    restartAt = Successor(encodedCommon);
                    if (restartAt is null || string.CompareOrdinal(restartAt, stored) <= 0)
                    {
                        restartAt = stored + " ";
                    }

                    break;
                }

                if (!Add(page, query, stored, obj: ToObject(page, key, info)))
                {
                    return;
                }
            }

            if (restartAt is null || (upper is not null && string.CompareOrdinal(restartAt, upper) >= 0))
            {
                return;
            }

            lower = restartAt;
        }
    }

    /// <summary>Adds an entry; false (and the page marked truncated) when the page was already full.</summary>
    private static bool Add(ListObjectsPage page, ListObjectsQuery query, string stored, ListedObject? obj = null, string? prefix = null)
    {
        if (page.Count >= query.MaxKeys)
        {
            page.IsTruncated = true;
            return false;
        }

        if (obj is not null)
        {
            page.Objects.Add(obj);
            page.LastEntry = obj.Key;
        }
        else
        {
            page.CommonPrefixes.Add(prefix!);
            page.LastEntry = prefix;
        }

        page.LastStoredEntry = stored;
        return true;
    }

    /// <summary>
    /// Where the page resumes, as a stored (encoded) path without its '/': the continuation token's position, or the
    /// encoded marker / start-after key; null when the listing starts at the prefix.
    /// </summary>
    private static string? After(ListObjectsQuery query)
    {
        var after = query.StartAfterStored ?? (string.IsNullOrEmpty(query.StartAfter) ? null : EncodeAfter(query.StartAfter));
        return after is null || string.CompareOrdinal(after, KeyCodec.Encode(query.Prefix)) < 0 ? null : after;
    }

    /// <summary>
    /// The stored position just after <paramref name="key"/>. No stored key holds a control character, so a marker
    /// with one at index i comes after the marker's first i characters and before every key that continues them.
    /// </summary>
    private static string EncodeAfter(string key)
    {
        var control = key.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        return KeyCodec.Encode(control < 0 ? key : key[..control]);
    }

    private static ListedObject ToObject(ListObjectsPage page, string key, FileInfo info) =>
        new(key, info.SizeBytes, ETag.FromHash(info.Hash), info.Committed?.ToDateTimeOffset(), Convert.ToHexStringLower(info.Hash.Span), page.CommonPrefixes.Count);
}
