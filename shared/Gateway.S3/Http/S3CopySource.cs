using Gateway.S3.Errors;
using Gateway.S3.Routing;

namespace Gateway.S3.Http;

/// <summary>The parsed <c>x-amz-copy-source</c> header: <c>[/]bucket/key[?versionId=id]</c>, URL-encoded.</summary>
/// <param name="Bucket">Source bucket.</param>
/// <param name="Key">Source key (decoded once).</param>
/// <param name="VersionId">Source version, if given.</param>
public sealed record S3CopySource(string Bucket, string Key, string? VersionId)
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "x-amz-copy-source";

    /// <summary>
    /// Parses the header. The whole value is decoded once before splitting bucket from key, because
    /// some SDKs (AWSSDK.S3 4.x) encode the '/' between them too. Invalid → InvalidArgument.
    /// </summary>
    public static S3CopySource Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var raw = value.Trim();
        string? versionId = null;
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        string path;
        if (q >= 0)
        {
            versionId = S3Query.ParseRaw(raw[(q + 1)..]).Get("versionId");
            path = S3UriEncoding.Decode(raw.AsSpan(0, q));
        }
        else
        {
            path = S3UriEncoding.Decode(raw);

            // A fully encoded value hides "?versionId=" until decoded.
            var v = path.LastIndexOf("?versionId=", StringComparison.Ordinal);
            if (v >= 0)
            {
                versionId = path[(v + "?versionId=".Length)..];
                path = path[..v];
            }
        }

        if (path.StartsWith('/'))
        {
            path = path[1..];
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw S3Exception.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", HeaderName, value);
        }

        return new S3CopySource(path[..slash], path[(slash + 1)..], string.IsNullOrEmpty(versionId) ? null : versionId);
    }
}
