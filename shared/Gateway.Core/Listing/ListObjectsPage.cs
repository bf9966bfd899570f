namespace Gateway.Core.Listing;

/// <summary>
/// One page of a listing: objects and common prefixes in key order, whether more follow and the last entry
/// returned (the point the next page resumes after).
/// </summary>
internal sealed class ListObjectsPage
{
    /// <summary>Objects, in key order.</summary>
    public List<ListedObject> Objects { get; } = [];

    /// <summary>Common prefixes, in order.</summary>
    public List<string> CommonPrefixes { get; } = [];

    /// <summary>True when more entries follow this page.</summary>
    public bool IsTruncated { get; set; }

    /// <summary>The greatest key or common prefix on this page (null when empty).</summary>
    public string? LastEntry { get; set; }

    /// <summary>The stored (encoded) path of <see cref="LastEntry"/>, where a continuation token resumes.</summary>
    public string? LastStoredEntry { get; set; }

    /// <summary>Objects plus common prefixes.</summary>
    public int Count => Objects.Count + CommonPrefixes.Count;
}
