using System.Xml.Linq;
using Gateway.Core.Tests.Support;

namespace Gateway.Core.Tests.History;

/// <summary>One listed version or delete marker, as the XML says.</summary>
public sealed record ListedVersion(string Key, string VersionId, bool IsLatest, bool IsDeleteMarker, string? ETag, long? Size);

/// <summary>Writes and lists versions through the gateway, the way an S3 client does.</summary>
internal static class Versions
{
    /// <summary>PUT <paramref name="key"/>; returns the version id the response names.</summary>
    public static async Task<string> PutAsync(this Support.Gateway gateway, string repo, string key, string content, IDictionary<string, string>? headers = null)
    {
        var r = await gateway.SendAsync("PUT", Target(repo, key), content, headers);
        Assert.Equal(200, r.Status);
        return r.Headers["x-amz-version-id"].ToString();
    }

    /// <summary>DELETE <paramref name="key"/>; returns the delete marker's version id.</summary>
    public static async Task<string> DeleteAsync(this Support.Gateway gateway, string repo, string key)
    {
        var r = await gateway.SendAsync("DELETE", Target(repo, key));
        Assert.Equal(204, r.Status);
        Assert.Equal("true", r.Headers["x-amz-delete-marker"].ToString());
        return r.Headers["x-amz-version-id"].ToString();
    }

    /// <summary>The path-style target of <paramref name="key"/> in bucket <paramref name="bucket"/>, percent-encoded.</summary>
    public static string Target(string bucket, string key, string? query = null) =>
        "/" + bucket + "/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString)) + (query is null ? string.Empty : "?" + query);

    /// <summary>One ListObjectVersions page.</summary>
    public static async Task<Support.Gateway.Response> ListAsync(this Support.Gateway gateway, string bucket, string query = "")
    {
        var r = await gateway.SendAsync("GET", $"/{bucket}?versions" + (query.Length > 0 ? "&" + query : string.Empty));
        Assert.Equal(200, r.Status);
        return r;
    }

    /// <summary>The versions and delete markers of a page, in document order.</summary>
    public static List<ListedVersion> Entries(XElement page) =>
        [.. page.Elements().Where(e => e.Name.LocalName is "Version" or "DeleteMarker").Select(e => new ListedVersion(
            e.Element("Key")!.Value,
            e.Element("VersionId")!.Value,
            bool.Parse(e.Element("IsLatest")!.Value),
            e.Name.LocalName == "DeleteMarker",
            e.Element("ETag")?.Value,
            e.Element("Size") is { } size ? long.Parse(size.Value, System.Globalization.CultureInfo.InvariantCulture) : null))];

    /// <summary>Every page of a listing with <paramref name="maxKeys"/> per page, following the next markers.</summary>
    public static async Task<(List<ListedVersion> Entries, List<string> Prefixes, int Pages)> ListAllAsync(this Support.Gateway gateway, string bucket, int maxKeys, string extra = "")
    {
        var entries = new List<ListedVersion>();
        var prefixes = new List<string>();
        string? keyMarker = null, versionMarker = null;
        for (var pages = 1; ; pages++)
        {
            var query = $"max-keys={maxKeys}" + extra
                + (keyMarker is null ? string.Empty : "&key-marker=" + Uri.EscapeDataString(keyMarker))
                + (versionMarker is null ? string.Empty : "&version-id-marker=" + versionMarker);
            var page = (await gateway.ListAsync(bucket, query)).Xml;
            var batch = Entries(page);
            var common = page.Elements("CommonPrefixes").Select(p => p.Element("Prefix")!.Value).ToList();
            Assert.True(batch.Count + common.Count <= maxKeys);
            entries.AddRange(batch);
            prefixes.AddRange(common);
            if (!bool.Parse(page.Element("IsTruncated")!.Value))
            {
                Assert.Null(page.Element("NextKeyMarker"));
                return (entries, prefixes, pages);
            }

            keyMarker = page.Element("NextKeyMarker")!.Value;
            versionMarker = page.Element("NextVersionIdMarker")?.Value;
        }
    }
}
