using System.Buffers;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Buckets;

/// <summary>
/// CreateBucket: CreateRepo (the project must exist), then CreateBranch with no head. An existing repo is fine (a new
/// branch is a new bucket); an existing branch is answered 200, as S3 answers in us-east-1. A commit prefix in the
/// name is ignored.
/// Names of the gateway's own repos never get here: the pipeline answers NoSuchBucket for them.
/// </summary>
internal sealed class CreateBucketOperation : IGatewayOperation
{
    private readonly int _maxBodyBytes;

    public CreateBucketOperation(int maxBodyBytes) => _maxBodyBytes = maxBodyBytes;

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        // The region in CreateBucketConfiguration means nothing to PFS; read it so the connection stays usable.
        await DrainAsync(call.Body, _maxBodyBytes, call.Aborted).ConfigureAwait(false);
        try
        {
            await call.Pach.CreateRepoAsync(bucket.RepoRef, cancellationToken: call.Aborted).ConfigureAwait(false);
        }
        catch (PachException e) when (e.Kind == PachErrorKind.AlreadyExists)
        {
            if (await BranchExistsAsync(call).ConfigureAwait(false))
            {
                // S3 in us-east-1 answers a caller who re-creates a bucket it can use with 200 (other regions say
                // BucketAlreadyOwnedByYou). Every bucket here is in that region, and a caller pachd lets inspect the
                // branch is its owner as far as S3 goes.
                return Created(call);
            }
        }
        catch (PachException e) when (e.Kind == PachErrorKind.ProjectNotFound)
        {
            throw new S3Exception(S3Errors.InvalidBucketName, $"Project '{bucket.Project}' does not exist; create it in Pachyderm first.") { BucketName = call.BucketName };
        }

        await call.Pach.CreateBranchAsync(bucket.BranchRef, cancellationToken: call.Aborted).ConfigureAwait(false);
        return Created(call);
    }

    private static S3Response Created(S3Call call) => S3Response.Status(StatusCodes.Status200OK).WithHeader("Location", "/" + call.BucketName);

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
    }

    /// <summary>Reads and discards at most <paramref name="limit"/> bytes of body; more is MaxMessageLengthExceeded.</summary>
    private static async Task DrainAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
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
