using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Gateway.Core.Naming;
using Gateway.Pachyderm;
using Gateway.S3.Checksums;

namespace Gateway.Core.Uploads;

/// <summary>
/// Where multipart uploads live in pachd, so that any gateway instance can serve any request of an upload.
/// <para>
/// On the bucket's gateway branch (<see cref="GatewayBranch"/>: same repo, same access rules, hidden from buckets and
/// pipelines). Each upload is one directory:
/// <code>
/// /uploads/&lt;hex(key)&gt;/&lt;uploadId&gt;/manifest-&lt;initiated unix ms, 13 digits&gt;
/// /uploads/&lt;hex(key)&gt;/&lt;uploadId&gt;/parts/&lt;NNNNN&gt;/&lt;uploaded unix ms&gt;-&lt;nonce&gt;
/// /uploads/&lt;hex(key)&gt;/&lt;uploadId&gt;/completed-&lt;completed unix ms, 13 digits&gt;     (after Complete, alone)
/// </code>
/// Why this shape:
/// </para>
/// <list type="bullet">
/// <item>The key is the lower-case hex of its UTF-8 bytes: one path element whatever '/' it holds, and hex keeps
/// byte order (fixed width per byte, '0'-'9' &lt; 'a'-'f'), so a path-ordered listing of the uploads directory is
/// ordered by key exactly as S3 orders keys, a key prefix is a path prefix and a key marker is a path bound.
/// ListMultipartUploads is therefore one glob over <c>*/*/manifest-*</c> with a path range.</item>
/// <item>The manifest's name carries the initiation time, so listings need no extra reads; its content (JSON) holds
/// what the object gets at Complete (its metadata and tags) and tells an operator what each directory is.</item>
/// <item>Part numbers are zero-padded to five digits (lexicographic = numeric). Each part is a directory holding
/// one file whose name carries the upload time (ListParts' LastModified; pachd reports the head commit's time for
/// every file) and empty marker files whose names carry the part's MD5 and checksum. Writing a part is one
/// ModifyFile (delete the part's directory, add the new files): one commit, and a re-upload replaces the part.
/// Parallel parts touch different paths.</item>
/// <item>Abort deletes the upload directory with a trailing '/' (recursive), leaving nothing behind. Complete does the
/// same and writes the upload's receipt in its place (<see cref="UploadReceipt"/>), so that a retried Complete gets
/// the same answer; expiry removes receipts and abandoned uploads (<see cref="UploadExpiry"/>).</item>
/// </list>
/// </summary>
internal static class UploadLayout
{
    /// <summary>Highest part number S3 allows.</summary>
    public const int MaxPartNumber = 10_000;

    /// <summary>The directory every upload of a bucket lives in (on the bucket's gateway branch).</summary>
    public const string Root = "/uploads/";

    private const string _manifestPrefix = "manifest-";
    private const string _receiptPrefix = "completed-";
    private const string _partsDirectory = "parts/";
    private const string _checksumPrefix = "checksum-";
    private const string _md5Prefix = "md5-";

    /// <summary>Where a bucket's uploads are written: the head of its gateway branch.</summary>
    public static CommitRef Head(BucketAddress bucket) => GatewayBranch.Of(bucket).Head;

    /// <summary>The directory of one upload.</summary>
    public static string UploadDirectory(string key, string uploadId) => Root + EncodeKey(key) + "/" + uploadId + "/";

    /// <summary>The manifest of an upload started at <paramref name="initiated"/>.</summary>
    public static string ManifestPath(string uploadDirectory, DateTimeOffset initiated) =>
        uploadDirectory + _manifestPrefix + initiated.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture);

    /// <summary>Glob that matches an upload's manifest.</summary>
    public static string ManifestGlob(string uploadDirectory) => uploadDirectory + _manifestPrefix + "*";

    /// <summary>The receipt of an upload completed at <paramref name="completed"/>.</summary>
    public static string ReceiptPath(string uploadDirectory, DateTimeOffset completed) =>
        uploadDirectory + _receiptPrefix + completed.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture);

    /// <summary>Glob that matches an upload's receipt.</summary>
    public static string ReceiptGlob(string uploadDirectory) => uploadDirectory + _receiptPrefix + "*";

    /// <summary>Glob that matches every manifest, receipt and parts directory of a bucket (what expiry looks at).</summary>
    public const string UploadEntriesGlob = Root + "*/*/*";

    /// <summary>
    /// Reads an entry of an upload directory (its manifest or its receipt) back into the directory and the time the
    /// upload started or completed; false for anything else (the parts directory).
    /// </summary>
    public static bool TryParseDatedEntry(string path, out string uploadDirectory, out DateTimeOffset time)
    {
        uploadDirectory = string.Empty;
        time = default;
        var slash = path.LastIndexOf('/');
        if (!path.StartsWith(Root, StringComparison.Ordinal) || slash < Root.Length || path.AsSpan(Root.Length, slash - Root.Length).Count('/') != 1)
        {
            return false;
        }

        var name = path[(slash + 1)..];
        var stamp = name.StartsWith(_manifestPrefix, StringComparison.Ordinal) ? name[_manifestPrefix.Length..]
            : name.StartsWith(_receiptPrefix, StringComparison.Ordinal) ? name[_receiptPrefix.Length..]
            : null;
        if (stamp is null || !TryParseMillis(stamp, out time))
        {
            return false;
        }

        uploadDirectory = path[..(slash + 1)];
        return true;
    }

    /// <summary>Glob that matches every manifest of a bucket.</summary>
    public const string ManifestsGlob = Root + "*/*/" + _manifestPrefix + "*";

    /// <summary>The directory of an upload's parts.</summary>
    public static string PartsDirectory(string uploadDirectory) => uploadDirectory + _partsDirectory;

    /// <summary>Glob that matches every part file of an upload.</summary>
    public static string PartsGlob(string uploadDirectory) => PartsDirectory(uploadDirectory) + "*/*";

    /// <summary>The directory of part <paramref name="partNumber"/> (deleted before each write of the part).</summary>
    public static string PartDirectory(string uploadDirectory, int partNumber) =>
        PartsDirectory(uploadDirectory) + FormatPartNumber(partNumber) + "/";

    /// <summary>The file of part <paramref name="partNumber"/> uploaded at <paramref name="uploaded"/>.</summary>
    public static string PartPath(string uploadDirectory, int partNumber, DateTimeOffset uploaded, string nonce) =>
        PartDirectory(uploadDirectory, partNumber) + uploaded.ToUnixTimeMilliseconds().ToString("D13", CultureInfo.InvariantCulture) + "-" + nonce;

    /// <summary>
    /// The empty marker file, beside a part's data file, whose name carries the checksum the part's body was
    /// verified against (<c>checksum-crc32-&lt;hex digest&gt;</c>): written in the same ModifyFile as the part, read by
    /// listings without opening any file. It sorts after the data file ('c' &gt; any digit).
    /// </summary>
    public static string ChecksumPath(string uploadDirectory, int partNumber, S3Checksum checksum) =>
        PartDirectory(uploadDirectory, partNumber) + _checksumPrefix + S3ChecksumAlgorithms.WireName(checksum.Algorithm).ToLowerInvariant() + "-"
        + Convert.ToHexStringLower(Convert.FromBase64String(checksum.Base64));

    /// <summary>
    /// The empty marker file, beside a part's data file, whose name carries the MD5 of the part's bytes
    /// (<c>md5-&lt;hex&gt;</c>): the part's ETag, and the input of the object's multipart ETag at Complete.
    /// </summary>
    public static string Md5Path(string uploadDirectory, int partNumber, ReadOnlySpan<byte> md5) =>
        PartDirectory(uploadDirectory, partNumber) + _md5Prefix + Convert.ToHexStringLower(md5);

    /// <summary>Reads an MD5 marker path back into its part number and digest.</summary>
    public static bool TryParseMd5Path(string path, out int partNumber, [NotNullWhen(true)] out byte[]? md5)
    {
        md5 = null;
        if (!TryParsePartFile(path, out partNumber, out var name) || !name.StartsWith(_md5Prefix, StringComparison.Ordinal) || name.Length != _md5Prefix.Length + 32)
        {
            return false;
        }

        try
        {
            md5 = Convert.FromHexString(name[_md5Prefix.Length..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Reads a checksum marker path back into its part number and checksum.</summary>
    public static bool TryParseChecksumPath(string path, out int partNumber, [NotNullWhen(true)] out S3Checksum? checksum)
    {
        checksum = null;
        if (!TryParsePartFile(path, out partNumber, out var name) || !name.StartsWith(_checksumPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name[_checksumPrefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !S3ChecksumAlgorithms.TryParse(rest[..dash].ToUpperInvariant(), out var algorithm))
        {
            return false;
        }

        try
        {
            checksum = new S3Checksum(algorithm, Convert.ToBase64String(Convert.FromHexString(rest[(dash + 1)..])));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A file in a part's directory: its part number and its name.</summary>
    private static bool TryParsePartFile(string path, out int partNumber, out string name)
    {
        partNumber = 0;
        name = string.Empty;
        var parts = path.Split('/');
        if (parts.Length < 3 || parts[^3] != "parts" || parts[^2].Length != 5
            || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out partNumber))
        {
            return false;
        }

        name = parts[^1];
        return true;
    }

    /// <summary>Five digits, so that path order is numeric order.</summary>
    public static string FormatPartNumber(int partNumber) => partNumber.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>Lower-case hex of the key's UTF-8 bytes (order-preserving).</summary>
    public static string EncodeKey(string key) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key));

    /// <summary>The key back from its hex form; false when the element is not one of ours.</summary>
    public static bool TryDecodeKey(string hex, out string key)
    {
        key = string.Empty;
        if (hex.Length == 0 || hex.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            key = Encoding.UTF8.GetString(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads a part file path (<c>…/parts/NNNNN/&lt;ms&gt;-&lt;nonce&gt;</c>) back into its number and upload time.
    /// </summary>
    public static bool TryParsePartPath(string path, out int partNumber, out DateTimeOffset uploaded)
    {
        partNumber = 0;
        uploaded = default;
        var parts = path.Split('/');
        if (parts.Length < 3 || parts[^3] != "parts" || parts[^2].Length != 5
            || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out partNumber)
            || partNumber is < 1 or > MaxPartNumber)
        {
            return false;
        }

        return TryParseMillis(parts[^1].Split('-')[0], out uploaded);
    }

    /// <summary>Reads a manifest path back into key, upload id and initiation time.</summary>
    public static bool TryParseManifestPath(string path, out string key, out string uploadId, out DateTimeOffset initiated)
    {
        key = uploadId = string.Empty;
        initiated = default;
        if (!path.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path[Root.Length..].Split('/');
        if (rest.Length != 3 || !rest[2].StartsWith(_manifestPrefix, StringComparison.Ordinal) || !UploadIds.IsValid(rest[1]))
        {
            return false;
        }

        uploadId = rest[1];
        return TryDecodeKey(rest[0], out key) && TryParseMillis(rest[2][_manifestPrefix.Length..], out initiated);
    }

    private static bool TryParseMillis(string text, out DateTimeOffset time)
    {
        time = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }
}
