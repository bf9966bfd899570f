using System.Collections.Concurrent;
using LocalPachd.Storage;

namespace LocalPachd.Tree;

/// <summary>
/// Decoded immutable nodes by id. Bounded by approximate encoded bytes; when full it is simply emptied
/// (nodes are immutable, so a stale entry is impossible and a miss only costs a SQLite read).
/// </summary>
internal sealed class NodeCache
{
    private readonly ConcurrentDictionary<Hash256, TreeNode> _nodes = new();
    private readonly long _maxBytes;
    private long _bytes;

    public NodeCache(long maxBytes) => _maxBytes = maxBytes;

    public bool TryGet(Hash256 id, out TreeNode node) => _nodes.TryGetValue(id, out node!);

    public void Add(Hash256 id, TreeNode node)
    {
        if (Interlocked.Add(ref _bytes, node.EncodedLength + 64) > _maxBytes)
        {
            _nodes.Clear();
            Interlocked.Exchange(ref _bytes, node.EncodedLength + 64);
        }

        _nodes[id] = node;
    }

    public void Remove(Hash256 id) => _nodes.TryRemove(id, out _);
}
