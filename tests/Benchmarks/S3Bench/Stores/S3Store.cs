using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Benchmarks.S3Bench.Stores;

/// <summary>
/// The S3 client every S3 target gets: AWSSDK.S3 with path-style addressing and SigV4, no retries, and checksums only
/// where the API requires them (<see cref="ClientSettings"/>), so no target pays for a checksum another one skips.
/// </summary>
internal sealed class S3Store(AmazonS3Client client) : IObjectStore
{
    private const string _contentSha256 = "x-amz-content-sha256";
    private const string _unsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>The client's settings, as printed with the results.</summary>
    public const string ClientSettings = "AWSSDK.S3 (path-style, SigV4, region us-east-1, MaxErrorRetry 0, " +
        "RequestChecksumCalculation and ResponseChecksumValidation WHEN_REQUIRED, no aws-chunked framing: large bodies " +
        "streamed with Content-Length and UNSIGNED-PAYLOAD, 4 KiB bodies from memory with their SHA-256 signed)";

    public bool SupportsMultipart => true;

    /// <summary>A client for <paramref name="serviceUrl"/>, signing with <paramref name="key"/> (secret the same unless given).</summary>
    public static S3Store Create(string serviceUrl, string key, string? secret = null)
    {
        var client = new AmazonS3Client(new BasicAWSCredentials(key, secret ?? key), new AmazonS3Config
        {
            ServiceURL = serviceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            UseHttp = true,
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromMinutes(10),
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        client.BeforeRequestEvent += SendLargeBodiesUnsigned;
        return new S3Store(client);
    }

    /// <summary>
    /// Large bodies go out as UNSIGNED-PAYLOAD, as a client streaming a big upload does: otherwise the SDK reads the
    /// whole body once more to hash it before sending. It signs a body hash found in this header as it is (its own
    /// DisablePayloadSigning is refused over http). Raised after marshalling, before signing.
    /// </summary>
    private static void SendLargeBodiesUnsigned(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs { Request: UploadPartRequest or PutObjectRequest { InputStream: not MemoryStream } } request)
        {
            request.Headers[_contentSha256] = _unsignedPayload;
        }
    }

    public Task ProbeAsync(CancellationToken cancellationToken) => client.ListBucketsAsync(cancellationToken);

    public Task CreateBucketAsync(string bucket, CancellationToken cancellationToken) =>
        client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);

    public async Task PutAsync(string bucket, string key, Stream content, long length, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = false,
        };
        request.Headers.ContentLength = length;

        await client.PutObjectAsync(request, cancellationToken);
    }

    public async Task<(long Bytes, ulong Hash)> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
        return await StreamHash.ReadAllAsync(response.ResponseStream, cancellationToken);
    }

    public async Task<long> HeadAsync(string bucket, string key, CancellationToken cancellationToken) =>
        (await client.GetObjectMetadataAsync(bucket, key, cancellationToken)).ContentLength;

    public async Task MultipartAsync(string bucket, string key, IReadOnlyList<PartSource> parts, int concurrency, CancellationToken cancellationToken)
    {
        var upload = await client.InitiateMultipartUploadAsync(bucket, key, cancellationToken);
        var etags = new PartETag[parts.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count), options, async (i, ct) =>
        {
            await using var stream = parts[i].Open();
            var request = new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartNumber = i + 1,
                PartSize = parts[i].Length,
                InputStream = stream,
                UseChunkEncoding = false,
            };
            var response = await client.UploadPartAsync(request, ct);
            etags[i] = new PartETag(i + 1, response.ETag);
        });
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = upload.UploadId,
            PartETags = [.. etags],
        }, cancellationToken);
    }

    public async Task PopulateAsync(string bucket, IReadOnlyList<string> keys, int concurrency, CancellationToken cancellationToken)
    {
        var body = new byte[64];
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(keys, options, async (key, ct) =>
        {
            using var content = new MemoryStream(body, writable: false);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, UseChunkEncoding = false }, ct);
        });
    }

    public async Task<(int Keys, IReadOnlyList<TimeSpan> Pages)> ListAllAsync(string bucket, CancellationToken cancellationToken)
    {
        var pages = new List<TimeSpan>();
        var keys = 0;
        string? token = null;
        do
        {
            var started = Stopwatch.GetTimestamp();
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000, ContinuationToken = token }, cancellationToken);
            pages.Add(Stopwatch.GetElapsedTime(started));
            keys += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return (keys, pages);
    }

    public void Dispose() => client.Dispose();
}
