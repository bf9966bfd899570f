using System.Globalization;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using Gateway.S3.Xml.Requests;

namespace Gateway.Core.Uploads;

/// <summary>
/// Checks a CompleteMultipartUpload request against the stored parts, as S3 does: part numbers strictly ascending
/// (InvalidPartOrder), every named part stored with the named ETag (InvalidPart; quotes ignored), every part but
/// the last at least 5 MiB (EntityTooSmall). Returns the stored parts to assemble, in order.
/// </summary>
internal static class CompletePlanner
{
    /// <summary>S3's minimum size of every part but the last.</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>The parts to concatenate, in request order.</summary>
    public static IReadOnlyList<StoredPart> Plan(IReadOnlyList<S3CompletedPart> requested, IReadOnlyList<StoredPart> stored, long minPartSize = MinPartSize, string? uploadId = null)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(stored);
        if (requested.Count == 0)
        {
            throw new S3Exception(S3Errors.MalformedXml);
        }

        var byNumber = new Dictionary<int, StoredPart>(stored.Count);
        foreach (var part in stored)
        {
            byNumber[part.Number] = part;
        }

        var plan = new List<StoredPart>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            var want = requested[i];
            if (i > 0 && requested[i - 1].PartNumber >= want.PartNumber)
            {
                throw new S3Exception(S3Errors.InvalidPartOrder);
            }

            if (!byNumber.TryGetValue(want.PartNumber, out var part) || !ETags.AreEqual(want.ETag, part.ETag) || !ChecksumsAgree(want, part))
            {
                var invalid = new S3Exception(S3Errors.InvalidPart);
                if (uploadId is not null)
                {
                    invalid.WithDetail("UploadId", uploadId);
                }

                throw invalid
                    .WithDetail("PartNumber", want.PartNumber.ToString(CultureInfo.InvariantCulture))
                    .WithDetail("ETag", want.ETag);
            }

            plan.Add(part);
        }

        for (var i = 0; i < plan.Count - 1; i++)
        {
            if (plan[i].Size < minPartSize)
            {
                throw new S3Exception(S3Errors.EntityTooSmall)
                    .WithDetail("ProposedSize", plan[i].Size.ToString(CultureInfo.InvariantCulture))
                    .WithDetail("MinSizeAllowed", minPartSize.ToString(CultureInfo.InvariantCulture))
                    .WithDetail("PartNumber", plan[i].Number.ToString(CultureInfo.InvariantCulture))
                    .WithDetail("ETag", ETags.Unquote(plan[i].ETag));
            }
        }

        return plan;
    }

    /// <summary>
    /// The whole-object checksum S3 reports for a multipart object: the COMPOSITE checksum (<c>digest-N</c>)
    /// when every part was uploaded with a checksum of one algorithm, else none.
    /// </summary>
    public static S3StoredChecksum? CompositeChecksum(IReadOnlyList<StoredPart> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0 || plan[0].Checksum is not { } first || plan.Any(p => p.Checksum?.Algorithm != first.Algorithm))
        {
            return null;
        }

        return S3StoredChecksum.Composite(first.Algorithm, [.. plan.Select(p => p.Checksum!)]);
    }

    /// <summary>A checksum named in the request must equal the stored one of the same algorithm (when stored).</summary>
    private static bool ChecksumsAgree(S3CompletedPart want, StoredPart part)
    {
        if (part.Checksum is not { } stored)
        {
            return true;
        }

        foreach (var named in want.Checksums)
        {
            if (named.Algorithm == stored.Algorithm && !string.Equals(named.Base64, stored.Base64, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
