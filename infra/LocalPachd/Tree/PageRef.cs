using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>One page of a large directory as listed in its index node, with the page's aggregates.</summary>
internal sealed record PageRef(string FirstName, Hash256 Page, int Count, long Size, Hash256 Sum);
