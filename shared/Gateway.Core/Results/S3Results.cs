using System.Xml;
using Gateway.Core.Dispatch;
using Gateway.Core.Listing;
using Gateway.S3.Routing;
using Gateway.S3.Xml;
using Microsoft.AspNetCore.Http;

namespace Gateway.Core.Results;

/// <summary>
/// Writes the success documents of the operations in this project, streamed with the protocol library's
/// XmlWriter settings (namespace, declaration, timestamp format).
/// </summary>
internal static class S3Results
{
    /// <summary>The owner every bucket and object reports: Pachyderm has no S3 account model.</summary>
    public const string OwnerId = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The owner's display name.</summary>
    public const string OwnerName = "pachyderm";

    /// <summary>ListAllMyBucketsResult.</summary>
    public static Task WriteListBucketsAsync(S3Call call, IReadOnlyList<BucketEntry> buckets) =>
        WriteAsync(call, "ListAllMyBucketsResult", async w =>
        {
            await WriteOwnerAsync(w).ConfigureAwait(false);
            await w.WriteStartElementAsync(null, "Buckets", null).ConfigureAwait(false);
            foreach (var b in buckets)
            {
                await w.WriteStartElementAsync(null, "Bucket", null).ConfigureAwait(false);
                await w.ElementAsync("Name", b.Name).ConfigureAwait(false);
                await w.ElementAsync("CreationDate", b.CreationDate).ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }

            await w.WriteEndElementAsync().ConfigureAwait(false);
        });

    /// <summary>LocationConstraint (empty text means us-east-1).</summary>
    public static Task WriteLocationAsync(S3Call call, string location) =>
        WriteAsync(call, "LocationConstraint", w => location.Length == 0 ? Task.CompletedTask : w.WriteStringAsync(location));

    /// <summary>VersioningConfiguration.</summary>
    public static Task WriteVersioningAsync(S3Call call, string status) =>
        WriteAsync(call, "VersioningConfiguration", w => w.ElementAsync("Status", status));

    /// <summary>ListBucketResult, v1 or v2.</summary>
    public static Task WriteListObjectsAsync(S3Call call, ListingResult r, bool v2) =>
        WriteAsync(call, "ListBucketResult", async w =>
        {
            string Enc(string s) => r.UrlEncode ? S3UriEncoding.Encode(s, keepSlash: true) : s;

            await w.ElementAsync("Name", r.BucketName).ConfigureAwait(false);
            await w.ElementAsync("Prefix", Enc(r.Prefix)).ConfigureAwait(false);
            if (v2)
            {
                if (r.ContinuationToken is not null)
                {
                    await w.ElementAsync("ContinuationToken", r.ContinuationToken).ConfigureAwait(false);
                }

                if (r.StartAfter is not null)
                {
                    await w.ElementAsync("StartAfter", Enc(r.StartAfter)).ConfigureAwait(false);
                }

                await w.ElementAsync("KeyCount", r.Page.Count).ConfigureAwait(false);
            }
            else
            {
                await w.ElementAsync("Marker", Enc(r.Marker ?? string.Empty)).ConfigureAwait(false);
                if (r.NextMarker is not null)
                {
                    await w.ElementAsync("NextMarker", Enc(r.NextMarker)).ConfigureAwait(false);
                }
            }

            await w.ElementAsync("MaxKeys", r.MaxKeys).ConfigureAwait(false);
            if (r.Delimiter is not null)
            {
                await w.ElementAsync("Delimiter", Enc(r.Delimiter)).ConfigureAwait(false);
            }

            if (r.UrlEncode)
            {
                await w.ElementAsync("EncodingType", "url").ConfigureAwait(false);
            }

            await w.ElementAsync("IsTruncated", r.Page.IsTruncated).ConfigureAwait(false);
            if (v2 && r.NextContinuationToken is not null)
            {
                await w.ElementAsync("NextContinuationToken", r.NextContinuationToken).ConfigureAwait(false);
            }

            foreach (var o in r.Page.Objects)
            {
                await w.WriteStartElementAsync(null, "Contents", null).ConfigureAwait(false);
                await w.ElementAsync("Key", Enc(o.Key)).ConfigureAwait(false);
                await w.ElementAsync("LastModified", o.LastModified ?? DateTimeOffset.UnixEpoch).ConfigureAwait(false);
                await w.ElementAsync("ETag", o.ETag).ConfigureAwait(false);
                await w.ElementAsync("Size", o.Size).ConfigureAwait(false);
                if (r.FetchOwner)
                {
                    await WriteOwnerAsync(w).ConfigureAwait(false);
                }

                await w.ElementAsync("StorageClass", "STANDARD").ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }

            foreach (var p in r.Page.CommonPrefixes)
            {
                await w.WriteStartElementAsync(null, "CommonPrefixes", null).ConfigureAwait(false);
                await w.ElementAsync("Prefix", Enc(p)).ConfigureAwait(false);
                await w.WriteEndElementAsync().ConfigureAwait(false);
            }
        });

    /// <summary>Writes a 200 document with root <paramref name="root"/> in the S3 namespace.</summary>
    internal static async Task WriteAsync(S3Call call, string root, Func<XmlWriter, Task> body)
    {
        var response = call.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = S3Xml.ContentType;
        await using (var w = await S3Xml.CreateWriterAsync(response.Body).ConfigureAwait(false))
        {
            await w.WriteStartElementAsync(null, root, S3Xml.Namespace).ConfigureAwait(false);
            await body(w).ConfigureAwait(false);
            await w.WriteEndElementAsync().ConfigureAwait(false);
        }

        await response.Body.FlushAsync(call.Aborted).ConfigureAwait(false);
    }

    private static async Task WriteOwnerAsync(XmlWriter w)
    {
        await w.WriteStartElementAsync(null, "Owner", null).ConfigureAwait(false);
        await w.ElementAsync("ID", OwnerId).ConfigureAwait(false);
        await w.ElementAsync("DisplayName", OwnerName).ConfigureAwait(false);
        await w.WriteEndElementAsync().ConfigureAwait(false);
    }
}
