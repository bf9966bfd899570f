using System.Text.RegularExpressions;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Buckets;

/// <summary>
/// CreateBucket: the body's CreateBucketConfiguration is checked first (MalformedXML, a region other than the
/// gateway's), so a refused request creates nothing. Then CreateRepo (the project must exist) and CreateBranch with no
/// head. An existing repo is fine (a new branch is a new bucket); an existing branch is answered 200, as S3 answers in
/// us-east-1. A commit prefix in the name is ignored.
/// Names of the gateway's own repos never get here: the pipeline answers NoSuchBucket for them.
/// </summary>
internal sealed partial class CreateBucketOperation : IGatewayOperation
{
    private const string _defaultRegion = "us-east-1";

    private readonly int _maxBodyBytes;
    private readonly string _region;

    /// <param name="maxBodyBytes">The XML body limit.</param>
    /// <param name="location">The gateway's region (<see cref="GatewayOptions.Location"/>; empty is us-east-1).</param>
    public CreateBucketOperation(int maxBodyBytes, string? location)
    {
        _maxBodyBytes = maxBodyBytes;
        _region = string.IsNullOrEmpty(location) ? _defaultRegion : location;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var bucket = call.RequiredBucket;
        var configuration = await S3XmlRequestReader.ReadCreateBucketConfigurationAsync(call.Body, _maxBodyBytes, call.Aborted).ConfigureAwait(false);
        RequireThisRegion(configuration?.LocationConstraint);
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

    /// <summary>
    /// Buckets live in the gateway's one region. A request that names none (no body, no or an empty LocationConstraint)
    /// gets it, as S3 gives us-east-1; one that names it explicitly is served too (clients configured for us-east-1 send
    /// it although S3 itself refuses it there). Another region is IllegalLocationConstraintException, as S3 answers on a
    /// region's endpoint; a constraint that is no region name at all is InvalidLocationConstraint.
    /// </summary>
    private void RequireThisRegion(string? constraint)
    {
        if (string.IsNullOrEmpty(constraint) || string.Equals(constraint, _region, StringComparison.Ordinal))
        {
            return;
        }

        if (!RegionName().IsMatch(constraint))
        {
            throw new S3Exception(S3Errors.InvalidLocationConstraint);
        }

        throw new S3Exception(S3Errors.IllegalLocationConstraintException,
            $"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.");
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

    /// <summary>An AWS region code (<c>us-east-1</c>, <c>us-gov-west-1</c>) or the legacy <c>EU</c>.</summary>
    [GeneratedRegex(@"^(?:[a-z]{2}(?:-[a-z]+)+-[0-9]+|EU)\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
