using System.Security.Cryptography;

namespace LocalPachd.Tests.Server;

/// <summary>A file's content as the crash test compares it: length and SHA-256.</summary>
internal sealed record Content(long Length, string Sha256)
{
    public static Content Of(ReadOnlySpan<byte> bytes) => new(bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)));
}

/// <summary>What one ModifyFile stream does to one path: the content it leaves there, or null for a deletion.</summary>
internal sealed record Effect(string Path, Content? After);

/// <summary>
/// What a crash test expects of one branch: the state every acknowledged ModifyFile left, plus the streams the
/// crash interrupted, which must turn out applied entirely or not at all.
/// </summary>
internal sealed class WriteLedger
{
    private readonly Lock _lock = new();
    private readonly List<Effect[]> _unknown = [];
    private Dictionary<string, Content?> _acknowledged = new(StringComparer.Ordinal);

    public WriteLedger(string name) => Name = name;

    public string Name { get; }

    public void Acknowledged(IEnumerable<Effect> effects)
    {
        lock (_lock)
        {
            foreach (var effect in effects)
            {
                _acknowledged[effect.Path] = effect.After;
            }
        }
    }

    public void Unknown(IEnumerable<Effect> effects)
    {
        lock (_lock)
        {
            _unknown.Add([.. effects]);
        }
    }

    /// <summary>
    /// Compares the files found after the restart with the ledger: every acknowledged write with exactly its bytes,
    /// each interrupted stream all-or-nothing, nothing else. What the interrupted streams turned out to be becomes
    /// part of the acknowledged state for the next round.
    /// </summary>
    /// <returns>How many interrupted streams turned out applied, and how many not.</returns>
    public (int Applied, int NotApplied) Verify(IReadOnlyDictionary<string, Content> actual)
    {
        lock (_lock)
        {
            var (applieds, notApplieds) = (0, 0);
            var expected = new Dictionary<string, Content?>(_acknowledged, StringComparer.Ordinal);
            foreach (var stream in _unknown)
            {
                bool? applied = null;
                foreach (var effect in stream)
                {
                    var before = _acknowledged.GetValueOrDefault(effect.Path);
                    if (before == effect.After)
                    {
                        continue;
                    }

                    var found = actual.GetValueOrDefault(effect.Path);
                    var vote = found == effect.After ? true
                        : found == before ? false
                        : throw new Xunit.Sdk.XunitException($"{Name}{effect.Path}: {found} is neither the acknowledged {before} nor the interrupted write's {effect.After}");
                    Assert.True(applied is null || applied == vote, $"{Name}: an interrupted ModifyFile was applied partially ({effect.Path})");
                    applied = vote;
                }

                applieds += applied == true ? 1 : 0;
                notApplieds += applied == false ? 1 : 0;
                if (applied == true)
                {
                    foreach (var effect in stream)
                    {
                        expected[effect.Path] = effect.After;
                    }
                }
            }

            var present = expected.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
            Assert.Equal(present.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (path, content) in present)
            {
                Assert.True(content == actual[path], $"{Name}{path}: expected {content}, found {actual[path]}");
            }

            _acknowledged = expected;
            _unknown.Clear();
            return (applieds, notApplieds);
        }
    }
}
