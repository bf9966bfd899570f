using System.Xml;
using Gateway.S3.Checksums;

namespace Gateway.S3.Xml.Documents;

/// <summary>Writes <c>ChecksumCRC32</c>-style elements in S3's algorithm order.</summary>
internal static class S3ChecksumElements
{
    public static async Task WriteAsync(XmlWriter w, IReadOnlyList<S3Checksum>? checksums)
    {
        if (checksums is null)
        {
            return;
        }

        foreach (var algorithm in S3ChecksumAlgorithms.All)
        {
            foreach (var c in checksums)
            {
                if (c.Algorithm == algorithm)
                {
                    await w.ElementAsync(S3ChecksumAlgorithms.XmlElementName(algorithm), c.Base64).ConfigureAwait(false);
                }
            }
        }
    }
}
