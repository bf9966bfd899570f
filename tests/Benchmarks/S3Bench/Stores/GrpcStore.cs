using System.Diagnostics;
using Gateway.Pachyderm;

namespace Gateway.Benchmarks.S3Bench.Stores;

/// <summary>
/// The direct path: PachClient (shared/Gateway.Pachyderm) against LocalPachd over gRPC, no S3 in between. A bucket
/// <c>master.NAME</c> is repo NAME, branch master; every PutFile is one commit, as every S3 PUT is through the gateway.
/// </summary>
internal sealed class GrpcStore(PachClient client) : IObjectStore
{
    private const int _pageSize = 1000;
    private const int _filesPerModifyFile = 10_000;

    public bool SupportsMultipart => false;

    public static GrpcStore Create(string address) => new(PachClient.Create(new PachClientOptions { Address = address }));

    public Task ProbeAsync(CancellationToken cancellationToken) => client.GetVersionAsync(cancellationToken);

    public async Task CreateBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var branch = Branch(bucket);
        await client.CreateRepoAsync(branch.Repo, cancellationToken: cancellationToken);
        await client.CreateBranchAsync(branch, cancellationToken: cancellationToken);
    }

    public Task PutAsync(string bucket, string key, Stream content, long length, CancellationToken cancellationToken) =>
        client.PutFileAsync(Branch(bucket).Head, "/" + key, content, cancellationToken);

    public async Task<(long Bytes, ulong Hash)> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        await using var stream = await client.GetFileAsync(File(bucket, key), cancellationToken: cancellationToken);
        return await StreamHash.ReadAllAsync(stream, cancellationToken);
    }

    public async Task<long> HeadAsync(string bucket, string key, CancellationToken cancellationToken) =>
        (await client.InspectFileAsync(File(bucket, key), cancellationToken)).SizeBytes;

    public Task MultipartAsync(string bucket, string key, IReadOnlyList<PartSource> parts, int concurrency, CancellationToken cancellationToken) =>
        throw new NotSupportedException("pachd has no multipart upload");

    /// <summary>ModifyFile with 10,000 files per call (one commit each): pachd's own way to write many files.</summary>
    public async Task PopulateAsync(string bucket, IReadOnlyList<string> keys, int concurrency, CancellationToken cancellationToken)
    {
        var body = new byte[64];
        foreach (var batch in keys.Chunk(_filesPerModifyFile))
        {
            await client.ModifyFileAsync(Branch(bucket).Head, async writer =>
            {
                foreach (var key in batch)
                {
                    await writer.AddFileAsync("/" + key, body, cancellationToken);
                }
            }, cancellationToken);
        }
    }

    /// <summary>ListFile of the root in pages of 1,000, each starting after the last path of the one before.</summary>
    public async Task<(int Keys, IReadOnlyList<TimeSpan> Pages)> ListAllAsync(string bucket, CancellationToken cancellationToken)
    {
        var pages = new List<TimeSpan>();
        var keys = 0;
        string? marker = null;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var count = 0;
            await foreach (var info in client.ListFileAsync(new FileRef(Branch(bucket).Head, "/"), marker, _pageSize, cancellationToken: cancellationToken))
            {
                count++;
                marker = info.File.Path;
            }

            // An empty page after a full one only says the listing ended: not a page of keys (S3 says it in the last page).
            if (count > 0 || pages.Count == 0)
            {
                pages.Add(Stopwatch.GetElapsedTime(started));
            }

            keys += count;
            if (count < _pageSize)
            {
                return (keys, pages);
            }
        }
    }

    public void Dispose() => client.Dispose();

    private static BranchRef Branch(string bucket)
    {
        var dot = bucket.IndexOf('.', StringComparison.Ordinal);
        return new BranchRef(RepoRef.InDefault(bucket[(dot + 1)..]), bucket[..dot]);
    }

    private static FileRef File(string bucket, string key) => new(Branch(bucket).Head, "/" + key);
}
