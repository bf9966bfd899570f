using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using Gateway.Benchmarks;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;

namespace PachBench;

/// <summary>The benchmark phases, in order; each adds rows to the result table.</summary>
internal sealed class BenchRunner(BenchOptions options, BenchServer server, IPachClient client, PachClient wrappingClient)
{
    internal const int MiB = 1024 * 1024;
    internal const int SmallFileSize = 4096;
    internal const int Directories = 100;
    internal const int PageSize = 1000;
    internal const ulong Seed = 0x5EED;
    internal const int ListingRuns = 3;

    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<string[]> Rows => _rows;

    public IReadOnlyList<string> Notes => _notes;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await BigFileAsync(RepoRef.InDefault($"big-{suffix}"), cancellationToken);
        await SmallCommitsAsync(RepoRef.InDefault($"small-{suffix}"), cancellationToken);
        await TreeAsync(RepoRef.InDefault($"tree-{suffix}"), cancellationToken);
    }

    private async Task BigFileAsync(RepoRef repo, CancellationToken cancellationToken)
    {
        var size = (long)options.SizeMiB * MiB;
        var head = new BranchRef(repo, "master").Head;
        await client.CreateRepoAsync(repo, cancellationToken: cancellationToken);

        // Warm-up (JIT, connection windows, server caches) so the first reported upload is not penalised.
        await client.PutFileAsync(head, "/warmup.bin", new PrngStream(64L * MiB, Seed + 1), cancellationToken);
        await wrappingClient.PutFileAsync(head, "/warmup.bin", new PrngStream(64L * MiB, Seed + 1), cancellationToken);

        var source = new PrngStream(size, Seed);
        var (upload, _) = await Measurement.RunAsync(server.ProcessId, async () =>
        {
            await client.PutFileAsync(head, "/big.bin", source, cancellationToken);
            return 0;
        });
        Add($"PutFile {options.SizeMiB} MiB (ModifyFile, {PachClientOptions.DefaultAddFileChunkSize / 1024} KiB chunks copied)", $"{options.SizeMiB} MiB", upload, Rate(size, upload.Elapsed));
        _notes.Add(FormattableString.Invariant($"Server data directory after the upload: {server.DataBytes() / (double)MiB:0} MiB."));

        var info = await client.InspectFileAsync(new FileRef(head, "/big.bin"), cancellationToken);
        if (info.SizeBytes != size)
        {
            throw new InvalidOperationException($"uploaded {size} bytes but pachd reports {info.SizeBytes}");
        }

        if (options.CompareWrap)
        {
            var wrapRepo = RepoRef.InDefault(repo.Name + "-wrap");
            await client.CreateRepoAsync(wrapRepo, cancellationToken: cancellationToken);
            var wrapSource = new PrngStream(size, Seed);
            var (wrapped, _) = await Measurement.RunAsync(server.ProcessId, async () =>
            {
                await wrappingClient.PutFileAsync(new BranchRef(wrapRepo, "master").Head, "/big.bin", wrapSource, cancellationToken);
                return 0;
            });
            Add($"PutFile {options.SizeMiB} MiB, pooled buffer wrapped (UnsafeWrap, no copy)", $"{options.SizeMiB} MiB", wrapped, Rate(size, wrapped.Elapsed));
            var wrapInfo = await client.InspectFileAsync(new FileRef(new BranchRef(wrapRepo, "master").Head, "/big.bin"), cancellationToken);
            var same = wrapInfo.SizeBytes == size && wrapInfo.Hash.Equals(info.Hash) && wrapSource.Hash == source.Hash;
            _notes.Add($"Wrapped-buffer upload stored {(same ? "the same content (size and pachd hash equal to the copied upload)" : "DIFFERENT content: the wrap is not safe")}.");

            // Second round in the opposite order (copy, wrap, wrap, copy) so load drift on a shared machine cancels out.
            var (wrapped2, _) = await Measurement.RunAsync(server.ProcessId, async () =>
            {
                await wrappingClient.PutFileAsync(new BranchRef(wrapRepo, "master").Head, "/big.bin", new PrngStream(size, Seed), cancellationToken);
                return 0;
            });
            var (upload2, _) = await Measurement.RunAsync(server.ProcessId, async () =>
            {
                await client.PutFileAsync(head, "/big.bin", new PrngStream(size, Seed), cancellationToken);
                return 0;
            });
            _notes.Add(FormattableString.Invariant(
                $"Upload rounds (copy, wrap, wrap, copy): {Rate(size, upload.Elapsed)}, {Rate(size, wrapped.Elapsed)}, {Rate(size, wrapped2.Elapsed)}, {Rate(size, upload2.Elapsed)}; client CPU s {upload.Client.Cpu}, {wrapped.Client.Cpu}, {wrapped2.Client.Cpu}, {upload2.Client.Cpu}; client RSS peak {upload.Client.SampledPeakMiB:0}, {wrapped.Client.SampledPeakMiB:0}, {wrapped2.Client.SampledPeakMiB:0}, {upload2.Client.SampledPeakMiB:0} MiB."));
            await client.DeleteRepoAsync(wrapRepo, force: true, cancellationToken);
        }

        var (download, hash) = await Measurement.RunAsync(server.ProcessId, async () =>
        {
            var hasher = new XxHash3();
            var buffer = ArrayPool<byte>.Shared.Rent(MiB);
            try
            {
                await using var stream = await client.GetFileAsync(new FileRef(head, "/big.bin"), cancellationToken: cancellationToken);
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, MiB), cancellationToken)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return hasher.GetCurrentHashAsUInt64();
        });
        Add($"GetFile {options.SizeMiB} MiB (ReadAsync into a 1 MiB buffer)", $"{options.SizeMiB} MiB", download, Rate(size, download.Elapsed));
        _notes.Add(hash == source.Hash ? "Downloaded bytes hash-identical to the uploaded PRNG stream." : "DOWNLOAD DIFFERS from the upload.");
        await client.DeleteRepoAsync(repo, force: true, cancellationToken);
    }

    private async Task SmallCommitsAsync(RepoRef repo, CancellationToken cancellationToken)
    {
        if (options.SmallCommits == 0)
        {
            return;
        }
        var branch = new BranchRef(repo, "master");
        await client.CreateRepoAsync(repo, cancellationToken: cancellationToken);
        await client.CreateBranchAsync(branch, cancellationToken: cancellationToken);
        var content = new byte[SmallFileSize];
        var latencies = new double[options.SmallCommits];
        var (measured, _) = await Measurement.RunAsync(server.ProcessId, async () =>
        {
            for (var i = 0; i < options.SmallCommits; i++)
            {
                BitConverter.TryWriteBytes(content, i);
                var started = Stopwatch.GetTimestamp();
                using var source = new MemoryStream(content, writable: false);
                await client.PutFileAsync(branch.Head, $"/small/{i:D6}", source, cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            return 0;
        });
        Array.Sort(latencies);
        var perSecond = options.SmallCommits / measured.Elapsed.TotalSeconds;
        Add($"{options.SmallCommits} × PutFile 4 KiB, one commit each", $"{options.SmallCommits} commits", measured,
            FormattableString.Invariant($"{perSecond:0} commits/s (p50 {Percentile(latencies, 0.5):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms)"));
        var commits = await Count(client.ListCommitsAsync(repo, cancellationToken: cancellationToken));
        _notes.Add($"Small-commit repo holds {commits} commits after the run.");
        await client.DeleteRepoAsync(repo, force: true, cancellationToken);
    }

    private async Task TreeAsync(RepoRef repo, CancellationToken cancellationToken)
    {
        var branch = new BranchRef(repo, "master");
        await client.CreateRepoAsync(repo, cancellationToken: cancellationToken);
        var perDirectory = options.Files / Directories;
        const int calls = 10;
        var content = new byte[64];
        var (create, _) = await Measurement.RunAsync(server.ProcessId, async () =>
        {
            for (var call = 0; call < calls; call++)
            {
                await client.ModifyFileAsync(branch.Head, async writer =>
                {
                    for (var dir = call * Directories / calls; dir < (call + 1) * Directories / calls; dir++)
                    {
                        for (var file = 0; file < perDirectory; file++)
                        {
                            BitConverter.TryWriteBytes(content, (dir * perDirectory) + file);
                            await writer.AddFileAsync($"/d{dir:D3}/f{file:D6}", content, cancellationToken);
                        }
                    }
                }, cancellationToken);
            }
            return 0;
        });
        Add($"Create {options.Files:N0} files of 64 B ({Directories} dirs, {calls} ModifyFile calls)", $"{options.Files:N0} files", create,
            FormattableString.Invariant($"{options.Files / create.Elapsed.TotalSeconds:0} files/s"));

        var first = await ListingsAsync(branch, options.Files, "history: 10 commits", cancellationToken);

        if (options.ExtraCommits > 0)
        {
            var small = new byte[SmallFileSize];
            var (extra, _) = await Measurement.RunAsync(server.ProcessId, async () =>
            {
                for (var i = 0; i < options.ExtraCommits; i++)
                {
                    BitConverter.TryWriteBytes(small, i);
                    using var source = new MemoryStream(small, writable: false);
                    // Overwrites one file, so the tree stays the same size while the history grows.
                    await client.PutFileAsync(branch.Head, "/history/churn.bin", source, cancellationToken);
                }
                return 0;
            });
            Add($"{options.ExtraCommits} × PutFile 4 KiB into the {options.Files:N0}-file repo", $"{options.ExtraCommits} commits", extra,
                FormattableString.Invariant($"{options.ExtraCommits / extra.Elapsed.TotalSeconds:0} commits/s"));

            var second = await ListingsAsync(branch, options.Files + 1, $"history: {10 + options.ExtraCommits} commits", cancellationToken);
            foreach (var (name, time) in second)
            {
                _notes.Add(FormattableString.Invariant($"{name}: median after {options.ExtraCommits} more commits / median before = {time.TotalSeconds / first[name].TotalSeconds:0.00}"));
            }
        }
        await client.DeleteRepoAsync(repo, force: true, cancellationToken);
    }

    /// <summary>Runs a listing <see cref="ListingRuns"/> times; the median run is reported (caches and JIT settle).</summary>
    private async Task<(Measurement Median, int Files, string Runs)> RepeatAsync(Func<Task<int>> listing)
    {
        var runs = new List<(Measurement Measurement, int Files)>();
        for (var i = 0; i < ListingRuns; i++)
        {
            runs.Add(await Measurement.RunAsync(server.ProcessId, listing));
        }
        var ordered = runs.OrderBy(r => r.Measurement.Elapsed).ToList();
        var times = string.Join(", ", runs.Select(r => FormattableString.Invariant($"{r.Measurement.Elapsed.TotalSeconds:0.000}")));
        return (ordered[ordered.Count / 2].Measurement, ordered[ordered.Count / 2].Files, times);
    }

    private async Task<Dictionary<string, TimeSpan>> ListingsAsync(BranchRef branch, int expectedFiles, string label, CancellationToken cancellationToken)
    {
        var times = new Dictionary<string, TimeSpan>();
        var head = branch.Head;

        var (glob, globbed, globRuns) = await RepeatAsync(async () =>
        {
            var files = 0;
            await foreach (var info in client.GlobFileAsync(head, "**", cancellationToken: cancellationToken))
            {
                files += info.FileType == FileType.File ? 1 : 0;
            }
            return files;
        });
        Check(globbed, expectedFiles, "GlobFile **");
        times["GlobFile **"] = glob.Elapsed;
        Add($"List all: GlobFile \"**\" ({label})", $"{globbed:N0} files", glob, PerSecond(globbed, glob.Elapsed));
        _notes.Add($"GlobFile \"**\" runs ({label}): {globRuns} s");

        var (walk, walked, walkRuns) = await RepeatAsync(async () =>
        {
            var files = 0;
            string? marker = null;
            while (true)
            {
                var page = 0;
                await foreach (var info in client.WalkFileAsync(new FileRef(head, "/"), marker, PageSize, cancellationToken))
                {
                    page++;
                    marker = info.File.Path;
                    files += info.FileType == FileType.File ? 1 : 0;
                }
                if (page < PageSize)
                {
                    return files;
                }
            }
        });
        Check(walked, expectedFiles, "WalkFile pages");
        times["WalkFile pages"] = walk.Elapsed;
        Add($"List all: WalkFile pages of {PageSize} with marker ({label})", $"{walked:N0} files", walk, PerSecond(walked, walk.Elapsed));
        _notes.Add($"WalkFile pages runs ({label}): {walkRuns} s");

        var (list, listed, listRuns) = await RepeatAsync(async () =>
        {
            var files = 0;
            var directories = new List<string>();
            await foreach (var info in client.ListFileAsync(new FileRef(head, "/"), cancellationToken: cancellationToken))
            {
                if (info.FileType == FileType.Dir)
                {
                    directories.Add(info.File.Path);
                }
                else
                {
                    files++;
                }
            }
            foreach (var dir in directories)
            {
                string? marker = null;
                while (true)
                {
                    var page = 0;
                    await foreach (var info in client.ListFileAsync(new FileRef(head, dir), marker, PageSize, cancellationToken: cancellationToken))
                    {
                        page++;
                        marker = info.File.Path;
                        files += info.FileType == FileType.File ? 1 : 0;
                    }
                    if (page < PageSize)
                    {
                        break;
                    }
                }
            }
            return files;
        });
        Check(listed, expectedFiles, "ListFile pages");
        times["ListFile pages"] = list.Elapsed;
        Add($"List all: ListFile per directory, pages of {PageSize} with marker ({label})", $"{listed:N0} files", list, PerSecond(listed, list.Elapsed));
        _notes.Add($"ListFile pages runs ({label}): {listRuns} s");
        return times;
    }

    private void Add(string name, string amount, Measurement m, string rate) => _rows.Add(
    [
        name,
        amount,
        FormattableString.Invariant($"{m.Elapsed.TotalSeconds:0.000} s"),
        rate,
        m.Client.Memory,
        m.Server?.Memory ?? (server.ProcessId == Environment.ProcessId ? "(same process)" : "n/a"),
        m.Server is null ? m.Client.Cpu : $"{m.Client.Cpu} / {m.Server.Cpu}",
    ]);

    private static void Check(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{what} found {actual} files, expected {expected}");
        }
    }

    private static string Rate(long bytes, TimeSpan elapsed) =>
        FormattableString.Invariant($"{bytes / (double)MiB / elapsed.TotalSeconds:0} MiB/s");

    private static string PerSecond(int items, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{items / elapsed.TotalSeconds:0} entries/s");

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static async Task<int> Count<T>(IAsyncEnumerable<T> items)
    {
        var n = 0;
        await foreach (var _ in items)
        {
            n++;
        }
        return n;
    }
}
