using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Benchmarks.AllocBench;

/// <summary>
/// The measured requests, one at a time. PUT overwrites one of 10 keys of a bucket whose listing therefore holds
/// exactly 10 keys; GET and HEAD read those keys; ListObjectsV2 lists that bucket; DeleteObject removes keys of a
/// second bucket filled beforehand (not measured), one key per request.
/// </summary>
internal sealed class Workload(AmazonS3Client s3)
{
    public static readonly string[] AllOps = ["put", "get", "head", "list", "delete"];

    private const string _repo = "alloc";
    private const string _bucket = "master.alloc";
    private const string _deleteRepo = "allocdel";
    private const string _deleteBucket = "master.allocdel";
    private const int _keys = 10;
    private static readonly byte[] _body = MakeBody(4096);
    private readonly byte[] _sink = new byte[8192];
    private int _deleteGeneration;

    public static string Describe(string op) => op switch
    {
        "put" => "PUT 4 KiB",
        "get" => "GET 4 KiB",
        "head" => "HEAD",
        "list" => "ListObjectsV2 (10 keys)",
        "delete" => "DeleteObject",
        _ => op,
    };

    /// <summary>Creates the buckets and the 10 keys.</summary>
    public async Task SetUpAsync()
    {
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = _repo });
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = _deleteRepo });
        for (var i = 0; i < _keys; i++)
        {
            await PutAsync(_bucket, Key(i));
        }
    }

    /// <summary>What <paramref name="op"/> needs before <paramref name="count"/> requests: keys to delete.</summary>
    public async Task PrepareAsync(string op, int count)
    {
        if (op != "delete")
        {
            return;
        }

        _deleteGeneration++;
        var keys = Enumerable.Range(0, count).Select(DeleteKey).ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (key, _) => await PutAsync(_deleteBucket, key));
    }

    /// <summary>Requests <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> of <paramref name="op"/>.</summary>
    public async Task RunAsync(string op, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            switch (op)
            {
                case "put":
                    await PutAsync(_bucket, Key(i));
                    break;
                case "get":
                    using (var response = await s3.GetObjectAsync(_bucket, Key(i)))
                    {
                        var total = 0;
                        int read;
                        while ((read = await response.ResponseStream.ReadAsync(_sink)) > 0)
                        {
                            total += read;
                        }

                        if (total != _body.Length)
                        {
                            throw new InvalidOperationException($"GET {Key(i)} returned {total} bytes, not {_body.Length}");
                        }
                    }

                    break;
                case "head":
                    var head = await s3.GetObjectMetadataAsync(_bucket, Key(i));
                    if (head.ContentLength != _body.Length)
                    {
                        throw new InvalidOperationException($"HEAD {Key(i)} says {head.ContentLength} bytes, not {_body.Length}");
                    }

                    break;
                case "list":
                    var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
                    if (page.KeyCount != _keys)
                    {
                        throw new InvalidOperationException($"ListObjectsV2 returned {page.KeyCount} keys, not {_keys}");
                    }

                    break;
                case "delete":
                    await s3.DeleteObjectAsync(_deleteBucket, DeleteKey(i));
                    break;
                default:
                    throw new ArgumentException($"unknown operation {op}", nameof(op));
            }
        }
    }

    private async Task PutAsync(string bucket, string key)
    {
        using var content = new MemoryStream(_body, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = content, UseChunkEncoding = false });
    }

    private static string Key(int i) => $"dir/object-{i % _keys}.bin";

    private string DeleteKey(int i) => $"gone/{_deleteGeneration}/object-{i}.bin";

    private static byte[] MakeBody(int length)
    {
        var body = new byte[length];
        new Random(42).NextBytes(body);
        return body;
    }
}
