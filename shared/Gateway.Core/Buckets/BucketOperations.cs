using System.Buffers;
using Gateway.Core.Dispatch;
using Gateway.Core.Errors;
using Gateway.Core.Results;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Errors;
using Gateway.S3.Xml.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Buckets;

/// <summary>Bucket operations: create, delete, head, location and versioning. Listing lives in <see cref="ListObjectsOperation"/>.</summary>
internal sealed class BucketOperations
{
    /// <summary>Most a CreateBucketConfiguration or VersioningConfiguration body may hold.</summary>
    internal const int MaxConfigurationBytes = 64 * 1024;

    private readonly GatewayOptions _options;

    public BucketOperations(IOptions<GatewayOptions> options) => _options = options.Value;

    /// <summary>
    /// CreateRepo (the project must exist), then CreateBranch with no head. An existing repo is fine (a new
    /// branch is a new bucket); an existing branch is BucketAlreadyOwnedByYou. A commit prefix in the name is ignored.
    /// </summary>
    public async Task CreateBucketAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        if (bucket.IsInternal)
        {
            throw new S3Exception(S3Errors.InvalidBucketName, "Repo names starting with _s3gateway are reserved for the gateway.") { BucketName = call.BucketName };
        }

        // The region in CreateBucketConfiguration means nothing to PFS; read it so the connection stays usable.
        await DrainAsync(call, MaxConfigurationBytes).ConfigureAwait(false);
        try
        {
            await call.Pach.CreateRepoAsync(bucket.RepoRef, cancellationToken: call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.AlreadyExists)
        {
            if (await BranchExistsAsync(call).ConfigureAwait(false))
            {
                throw new S3Exception(S3Errors.BucketAlreadyOwnedByYou) { BucketName = call.BucketName };
            }
        }
        catch (PachException e) when (e.Kind == PachErrorKind.ProjectNotFound)
        {
            throw new S3Exception(S3Errors.InvalidBucketName, $"Project '{bucket.Project}' does not exist; create it in Pachyderm first.") { BucketName = call.BucketName };
        }

        try
        {
            await call.Pach.CreateBranchAsync(bucket.BranchRef, cancellationToken: call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName);
        }

        call.Response.StatusCode = StatusCodes.Status200OK;
        call.Response.Headers.Location = "/" + call.BucketName;
    }

    /// <summary>
    /// NoSuchBucket when the branch is missing, BucketNotEmpty when its head holds any file; otherwise the
    /// branch goes, and the repo with it when that was its last branch.
    /// </summary>
    public async Task DeleteBucketAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        if (bucket.CommitId is not null)
        {
            // A commit-pinned name is a read-only view; deleting it must not take the branch with it.
            throw new S3Exception(S3Errors.InvalidRequest, "A bucket pinned to a commit cannot be deleted; delete the branch bucket instead.") { BucketName = call.BucketName };
        }

        var branch = await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var head = branch.Head is null ? bucket.BranchRef.Head : CommitRef.FromProto(branch.Head);
        if (await HasAnyFileAsync(call.Pach, head, call.Aborted).ConfigureAwait(false))
        {
            throw new S3Exception(S3Errors.BucketNotEmpty) { BucketName = call.BucketName };
        }

        try
        {
            await call.Pach.DeleteBranchAsync(bucket.BranchRef, cancellationToken: call.Aborted).ConfigureAwait(false);
            var repo = await call.Pach.InspectRepoAsync(bucket.RepoRef, call.Aborted).ConfigureAwait(false);
            if (repo.Branches.Count == 0)
            {
                await call.Pach.DeleteRepoAsync(bucket.RepoRef, cancellationToken: call.Aborted).ConfigureAwait(false);
            }
        }
        catch (PachException e) when (e.IsNotFound)
        {
            // Someone else removed the branch or the repo meanwhile: the bucket is gone either way.
        }

        call.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>InspectBranch only: 200, or the error (HEAD responses carry no body).</summary>
    public async Task HeadBucketAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        call.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>A constant location (<see cref="GatewayOptions.Location"/>; empty means us-east-1).</summary>
    public async Task GetBucketLocationAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        await S3Results.WriteLocationAsync(call, _options.Location).ConfigureAwait(false);
    }

    /// <summary>Every PFS branch keeps its history: versioning is always Enabled.</summary>
    public async Task GetBucketVersioningAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        await S3Results.WriteVersioningAsync(call, "Enabled").ConfigureAwait(false);
    }

    /// <summary>Accepts a request for the state the bucket is always in (Enabled); Suspended is NotImplemented.</summary>
    public async Task PutBucketVersioningAsync(S3Call call)
    {
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);
        var status = await ReadVersioningStatusAsync(call).ConfigureAwait(false);
        switch (status)
        {
            case "Enabled":
                call.Response.StatusCode = StatusCodes.Status200OK;
                return;
            case "Suspended":
                throw S3Exception.NotImplemented("Suspending versioning (every PFS commit is kept)");
            default:
                throw new S3Exception(S3Errors.IllegalVersioningConfigurationException);
        }
    }

    /// <summary>True when the commit holds at least one file; NOT_FOUND on the root means empty.</summary>
    internal static async Task<bool> HasAnyFileAsync(IPachClient pach, CommitRef commit, CancellationToken cancellationToken)
    {
        try
        {
            // Directories exist only through files, so any entry other than the root proves a file.
            await foreach (var info in pach.WalkFileAsync(new FileRef(commit, "/"), number: 2, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (info.FileType == FileType.File || (info.File?.Path is { } p && p != "/" && p.Length > 0))
                {
                    return true;
                }
            }

            return false;
        }
        catch (PachException e) when (e.Kind == PachErrorKind.FileNotFound)
        {
            return false;
        }
    }

    private static async Task<bool> BranchExistsAsync(S3Call call)
    {
        try
        {
            await call.Pach.InspectBranchAsync(call.RequiredBucket.BranchRef, call.Aborted).ConfigureAwait(false);
            return true;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.BranchNotFound)
        {
            return false;
        }
        catch (PachException e)
        {
            throw PachErrorMapper.Map(e, PachErrorMapper.Target.Bucket, call.BucketName);
        }
    }

    private static async Task<string?> ReadVersioningStatusAsync(S3Call call)
    {
        var configuration = await S3XmlRequestReader.ReadVersioningConfigurationAsync(call.Body, MaxConfigurationBytes, call.Aborted).ConfigureAwait(false);
        return configuration.Status;
    }

    /// <summary>Reads and discards at most <paramref name="limit"/> bytes of body; more is MaxMessageLengthExceeded.</summary>
    private static async Task DrainAsync(S3Call call, int limit)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            long total = 0;
            int read;
            while ((read = await call.Body.ReadAsync(buffer, call.Aborted).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw new S3Exception(S3Errors.MaxMessageLengthExceeded);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
