using Google.Protobuf;

namespace Gateway.Core.Objects;

/// <summary>
/// The one ETag rule of the gateway.
/// <para>
/// pachd's <c>FileInfo.hash</c> is a content hash but not an MD5, and several SDKs (the AWS .NET SDK among them)
/// compare a dash-less ETag with the MD5 of the bytes they received and fail the download when it differs. So the
/// ETag is the lower-case hex of the first 16 bytes of that hash followed by <c>-1</c>, quoted: content-derived,
/// stable across PUT, HEAD, GET and listings, and shaped like a one-part multipart ETag, which clients never treat
/// as an MD5. A file without a hash (pachd leaves it empty for some open-commit entries) gets all zeroes.
/// </para>
/// </summary>
internal static class ETag
{
    private const int _hashBytes = 16;

    /// <summary>The quoted ETag of a file with the given pachd hash.</summary>
    public static string FromHash(ByteString hash) => FromHash(hash.Span);

    /// <summary>The quoted ETag of a file with the given pachd hash.</summary>
    public static string FromHash(ReadOnlySpan<byte> hash)
    {
        Span<byte> head = stackalloc byte[_hashBytes];
        head.Clear();
        hash[..Math.Min(hash.Length, _hashBytes)].CopyTo(head);
        Span<char> text = stackalloc char[(2 * _hashBytes) + 4];
        text[0] = '"';
        Convert.TryToHexStringLower(head, text[1..], out var written);
        "-1\"".CopyTo(text[(1 + written)..]);
        return new string(text);
    }
}
