using Gateway.Core.Buckets;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Http;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;

namespace Gateway.Core.Uploads;

/// <summary>
/// ListMultipartUploads: one glob over the bucket's manifests with a path range (hex keys keep S3's key order, so
/// prefix and key-marker are path bounds); uploads of one key come in upload-id order, which is also what
/// upload-id-marker compares. Delimiter roll-ups skip the rest of a common prefix by restarting the glob after it.
/// Initiated is each upload's own creation time (from its manifest's name). Expired uploads are not listed.
/// </summary>
internal sealed class ListMultipartUploadsOperation(UploadExpiry expiry) : IGatewayOperation
{
    /// <summary>What one listing page holds.</summary>
    private sealed class Page
    {
        public List<S3UploadEntry> Uploads { get; } = [];

        public List<string> CommonPrefixes { get; } = [];

        public int Count => Uploads.Count + CommonPrefixes.Count;

        public bool IsTruncated { get; set; }

        public string NextKeyMarker { get; set; } = string.Empty;

        public string NextUploadIdMarker { get; set; } = string.Empty;
    }

    public async Task<S3Response> RunAsync(S3Call call)
    {
        var query = call.Target.Query;
        var prefix = query.Get("prefix") ?? string.Empty;
        var delimiter = query.Get("delimiter") is { Length: > 0 } d ? d : null;
        var keyMarker = query.Get("key-marker") ?? string.Empty;
        var uploadIdMarker = keyMarker.Length == 0 ? string.Empty : query.Get("upload-id-marker") ?? string.Empty;
        var maxUploads = S3ListParameters.ParseMaxKeys(query.Get("max-uploads"), "max-uploads");
        var encoding = S3ListParameters.ParseEncodingType(query.Get("encoding-type"));
        await BucketGuard.RequireAsync(call).ConfigureAwait(false);

        var page = new Page();
        if (maxUploads > 0)
        {
            await ScanAsync(call, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads, page).ConfigureAwait(false);
        }

        return S3Response.Xml(new ListMultipartUploadsResult
        {
            Bucket = call.BucketName,
            KeyMarker = keyMarker,
            UploadIdMarker = uploadIdMarker,
            NextKeyMarker = page.IsTruncated ? page.NextKeyMarker : string.Empty,
            NextUploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : string.Empty,
            Delimiter = delimiter,
            Prefix = prefix,
            MaxUploads = maxUploads,
            IsTruncated = page.IsTruncated,
            EncodingType = encoding is null ? null : S3XmlKeyEncoding.Url,
            Uploads = page.Uploads,
            CommonPrefixes = page.CommonPrefixes,
        });
    }

    private async Task ScanAsync(S3Call call, string prefix, string? delimiter, string keyMarker, string uploadIdMarker, int maxUploads, Page page)
    {
        var bucket = call.RequiredBucket;
        const string directory = UploadLayout.Root;

        // A key marker that is itself a rolled-up common prefix skips everything below it.
        var skipBelowMarker = delimiter is not null && keyMarker.Length > 0 && keyMarker.StartsWith(prefix, StringComparison.Ordinal)
            && keyMarker.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal) is var cutAt && cutAt >= 0
            && cutAt + delimiter.Length == keyMarker.Length;
        var lower = directory + UploadLayout.EncodeKey(prefix);
        if (keyMarker.Length > 0)
        {
            var fromMarker = directory + UploadLayout.EncodeKey(keyMarker) + (skipBelowMarker ? "g" : string.Empty);
            if (string.CompareOrdinal(fromMarker, lower) > 0)
            {
                lower = fromMarker;
            }
        }

        var upper = prefix.Length == 0 ? null : directory + UploadLayout.EncodeKey(prefix) + "g";
        string? lastPrefix = null;
        while (true)
        {
            var range = new PathRange { Lower = lower };
            if (upper is not null)
            {
                range.Upper = upper;
            }

            string? restartAt = null;
            await foreach (var upload in UploadStore.ListUploadsAsync(call.Pach, bucket, range, expiry, call.Aborted).ConfigureAwait(false))
            {
                var key = upload.Key;
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || !AfterMarker(key, upload.UploadId, keyMarker, uploadIdMarker)
                    || (skipBelowMarker && key.StartsWith(keyMarker, StringComparison.Ordinal)))
                {
                    continue;
                }

                var cut = delimiter is null ? -1 : key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = key[..(cut + delimiter!.Length)];
                    if (common == lastPrefix)
                    {
                        continue;
                    }

                    if (page.Count == maxUploads)
                    {
                        page.IsTruncated = true;
                        return;
                    }

                    page.CommonPrefixes.Add(common);
                    page.NextKeyMarker = common;
                    page.NextUploadIdMarker = string.Empty;
                    lastPrefix = common;

                    // Everything else below this prefix rolls into it: continue after it ('g' sorts after every hex digit).
                    restartAt = directory + UploadLayout.EncodeKey(common) + "g";
                    break;
                }

                if (page.Count == maxUploads)
                {
                    page.IsTruncated = true;
                    return;
                }

                page.Uploads.Add(new S3UploadEntry(key, upload.UploadId, Owners.Pachyderm, Owners.Pachyderm, upload.Initiated));
                page.NextKeyMarker = key;
                page.NextUploadIdMarker = upload.UploadId;
            }

            if (restartAt is null)
            {
                return;
            }

            lower = restartAt;
        }
    }

    /// <summary>S3's marker rule: keys after key-marker, plus uploads of key-marker itself after upload-id-marker.</summary>
    internal static bool AfterMarker(string key, string uploadId, string keyMarker, string uploadIdMarker)
    {
        if (keyMarker.Length == 0)
        {
            return true;
        }

        var c = string.CompareOrdinal(key, keyMarker);
        return c > 0 || (c == 0 && uploadIdMarker.Length > 0 && string.CompareOrdinal(uploadId, uploadIdMarker) > 0);
    }
}
