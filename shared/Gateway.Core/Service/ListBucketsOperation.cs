using System.Buffers.Text;
using System.Text;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Service;

/// <summary>
/// ListBuckets: every branch of every user repo in every project is a bucket, named <c>branch.repo</c> in the default
/// project and <c>branch.repo.project</c> elsewhere; the creation date is the repo's. Gateway branches are never
/// buckets. With <c>max-buckets</c> the answer is paged in name order (<c>continuation-token</c>), and <c>prefix</c>
/// keeps the names that start with it.
/// </summary>
internal sealed class ListBucketsOperation : IGatewayOperation
{
    private readonly string _region;

    /// <param name="location">The configured location (<see cref="GatewayOptions.Location"/>; empty means us-east-1).</param>
    public ListBucketsOperation(string location) => _region = location.Length == 0 ? "us-east-1" : location;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var query = call.Target.Query;
        var maxBuckets = S3ListParameters.ParseMaxBuckets(query.Get("max-buckets"));
        var prefix = query.Get("prefix");
        var token = query.Get("continuation-token");
        var after = token is null ? null : DecodeToken(token);

        var buckets = new List<S3BucketEntry>();
        await foreach (var repo in call.Pach.ListReposAsync(RepoRef.UserType, cancellationToken: call.Aborted).ConfigureAwait(false))
        {
            var r = RepoRef.FromProto(repo.Repo);
            if (BucketName.IsInternalRepo(r.Name))
            {
                continue;
            }

            var created = repo.Created?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
            foreach (var branch in repo.Branches.Where(b => !GatewayBranch.IsGatewayBranch(b.Name)))
            {
                var name = BucketName.Format(r.Project, r.Name, branch.Name);
                if ((prefix is null || name.StartsWith(prefix, StringComparison.Ordinal)) && (after is null || string.CompareOrdinal(name, after) > 0))
                {
                    buckets.Add(new S3BucketEntry(name, created) { BucketRegion = _region });
                }
            }
        }

        buckets.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        string? next = null;
        if (maxBuckets is { } max && buckets.Count > max)
        {
            buckets.RemoveRange(max, buckets.Count - max);
            next = EncodeToken(buckets[^1].Name);
        }

        return S3Response.Xml(new ListAllMyBucketsResult { Owner = Owners.Pachyderm, Buckets = buckets, ContinuationToken = next, Prefix = prefix });
    }

    private static string EncodeToken(string lastBucket) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastBucket));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw S3Exception.InvalidArgument("The continuation token provided is incorrect.", "continuation-token", token);
        }
    }
}
