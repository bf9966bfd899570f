using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Gateway.Benchmarks.Soak;

/// <summary>
/// One soak client: owns keys <c>c{n}/k{i}</c>, so it alone changes them and knows what each must hold. A key's state
/// is the set of contents it may have: exactly one after an acknowledged write or delete; after a failed one, also
/// what that request would have left (it may or may not have happened). "-" stands for no object.
/// </summary>
internal sealed class SoakClient(IAmazonS3 s3, string bucket, int number, int keys, int seed, Ledger ledger)
{
    private const string _absent = "-";
    private const int _mib = 1024 * 1024;
    private readonly Random _random = new(seed);
    private readonly HashSet<string>[] _states = Enumerable.Range(0, keys).Select(_ => new HashSet<string>(StringComparer.Ordinal) { _absent }).ToArray();

    private string Key(int i) => string.Create(CultureInfo.InvariantCulture, $"c{number}/k{i:D4}");

    /// <summary>Gives every key content, so reads have something to check from the start.</summary>
    public async Task WarmUpAsync()
    {
        for (var i = 0; i < keys; i++)
        {
            await PutAsync(i, _random.Next(0, 4096), CancellationToken.None);
        }
    }

    /// <summary>The mix, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var i = _random.Next(keys);
            var dice = _random.Next(100);
            if (dice < 35)
            {
                await PutAsync(i, Size(), CancellationToken.None);
            }
            else if (dice < 60)
            {
                await GetAsync(i);
            }
            else if (dice < 70)
            {
                await HeadAsync(i);
            }
            else if (dice < 80)
            {
                await DeleteAsync(i);
            }
            else if (dice < 86)
            {
                await ListAsync();
            }
            else if (dice < 92)
            {
                await CopyAsync(_random.Next(keys), i);
            }
            else
            {
                await MultipartAsync(i);
            }
        }
    }

    /// <summary>Reads every key and checks it; the number of keys checked.</summary>
    public async Task<int> VerifyAllAsync()
    {
        for (var i = 0; i < keys; i++)
        {
            var (ok, got) = await TryReadAsync(i);
            if (ok)
            {
                Check(i, got, "final read");
            }
            else
            {
                ledger.Violation($"{Key(i)}: final read failed ({got})");
            }
        }

        return keys;
    }

    private int Size()
    {
        var p = _random.Next(100);
        return p < 70 ? _random.Next(0, 16 * 1024) : p < 95 ? _random.Next(16 * 1024, 512 * 1024) : _random.Next(2 * _mib, 8 * _mib);
    }

    private byte[] Content(int size)
    {
        var bytes = new byte[size];
        _random.NextBytes(bytes);
        return bytes;
    }

    private async Task PutAsync(int i, int size, CancellationToken cancellationToken)
    {
        var body = Content(size);
        var hash = Hash(body);
        await Run("PutObject", i, hash, async () =>
        {
            using var stream = new MemoryStream(body);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = Key(i), InputStream = stream }, cancellationToken);
        });
    }

    private async Task DeleteAsync(int i) =>
        await Run("DeleteObject", i, _absent, () => s3.DeleteObjectAsync(bucket, Key(i)));

    private async Task CopyAsync(int from, int to)
    {
        if (from == to || _states[from].Count != 1 || _states[from].Contains(_absent))
        {
            return;
        }

        var source = _states[from].Single();
        await Run("CopyObject", to, source, () => s3.CopyObjectAsync(bucket, Key(from), bucket, Key(to)));
    }

    private async Task MultipartAsync(int i)
    {
        var parts = new[] { Content(5 * _mib), Content(5 * _mib), Content(_random.Next(1, _mib)) };
        var hash = Hash(parts.SelectMany(p => p).ToArray());
        string? upload = null;
        await Run("Multipart", i, hash, async () =>
        {
            upload = (await s3.InitiateMultipartUploadAsync(bucket, Key(i))).UploadId;
            var etags = new List<PartETag>();
            for (var n = 0; n < parts.Length; n++)
            {
                using var stream = new MemoryStream(parts[n]);
                var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = Key(i), UploadId = upload, PartNumber = n + 1, InputStream = stream });
                etags.Add(new PartETag(n + 1, part.ETag));
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = Key(i), UploadId = upload, PartETags = etags });
        });
    }

    private async Task GetAsync(int i)
    {
        var clock = Stopwatch.StartNew();
        var (ok, got) = await TryReadAsync(i);
        if (ok)
        {
            ledger.Done("GetObject", clock.Elapsed);
            Check(i, got, "read");
        }
    }

    private async Task HeadAsync(int i)
    {
        var clock = Stopwatch.StartNew();
        bool exists;
        try
        {
            await s3.GetObjectMetadataAsync(bucket, Key(i));
            exists = true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            exists = false;
        }
        catch (Exception e)
        {
            ledger.Failed("HeadObject", e);
            return;
        }

        ledger.Done("HeadObject", clock.Elapsed);
        var states = _states[i];
        if (exists ? states.All(s => s == _absent) : !states.Contains(_absent))
        {
            ledger.Violation($"{Key(i)}: HEAD says {(exists ? "present" : "absent")}, expected one of {Describe(states)}");
        }
    }

    private async Task ListAsync()
    {
        var clock = Stopwatch.StartNew();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            string? token = null;
            do
            {
                var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = $"c{number}/", ContinuationToken = token, MaxKeys = 1000 });
                foreach (var o in page.S3Objects ?? [])
                {
                    listed.Add(o.Key);
                }

                token = page.IsTruncated == true ? page.NextContinuationToken : null;
            }
            while (token is not null);
        }
        catch (Exception e)
        {
            ledger.Failed("ListObjectsV2", e);
            return;
        }

        ledger.Done("ListObjectsV2", clock.Elapsed);
        for (var i = 0; i < keys; i++)
        {
            var states = _states[i];
            var present = listed.Contains(Key(i));
            if (present ? states.All(s => s == _absent) : !states.Contains(_absent))
            {
                ledger.Violation($"{Key(i)}: listing says {(present ? "present" : "absent")}, expected one of {Describe(states)}");
            }
        }
    }

    /// <summary>Runs a write of key <paramref name="i"/> whose success leaves <paramref name="result"/>.</summary>
    private async Task Run(string operation, int i, string result, Func<Task> write)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await write();
            ledger.Done(operation, clock.Elapsed);
            _states[i].Clear();
            _states[i].Add(result);
        }
        catch (Exception e)
        {
            // It may or may not have happened: both outcomes are allowed from now on.
            ledger.Failed(operation, e);
            _states[i].Add(result);
        }
    }

    private async Task<(bool Ok, string Content)> TryReadAsync(int i)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, Key(i));
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }

            return (true, Convert.ToHexString(sha.GetHashAndReset()));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            return (true, _absent);
        }
        catch (Exception e)
        {
            ledger.Failed("GetObject", e);
            return (false, e.GetType().Name);
        }
    }

    private void Check(int i, string got, string what)
    {
        if (!_states[i].Contains(got))
        {
            ledger.Violation($"{Key(i)}: {what} returned {Short(got)}, expected one of {Describe(_states[i])}");
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static string Short(string state) => state == _absent ? "no object" : state[..12];

    private static string Describe(HashSet<string> states) => "{" + string.Join(", ", states.Select(Short)) + "}";
}
