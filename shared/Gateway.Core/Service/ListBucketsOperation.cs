using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Http;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Service;

/// <summary>
/// ListBuckets: every branch of every user repo in every project is a bucket, named <c>branch.repo</c> in the default
/// project and <c>branch.repo.project</c> elsewhere; the creation date is the repo's.
/// </summary>
internal sealed class ListBucketsOperation : IGatewayOperation
{
    public async Task<S3Response> RunAsync(S3Call call)
    {
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
                buckets.Add(new S3BucketEntry(BucketName.Format(r.Project, r.Name, branch.Name), created));
            }
        }

        buckets.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return S3Response.Xml(new ListAllMyBucketsResult { Owner = Owners.Pachyderm, Buckets = buckets });
    }
}
