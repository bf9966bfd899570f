using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;

namespace Gateway.S3.Xml.Requests;

/// <summary>
/// Parsers for the XML request bodies we accept. Bodies are small and capped (default 2 MiB), so
/// they are loaded with a hardened XmlReader (no DTD, no resolver); any parse or shape error is
/// MalformedXML. After parsing, the rest of the stream is read so a verifying stream runs its checks.
/// </summary>
public static class S3XmlRequestReader
{
    /// <summary>Most keys one DeleteObjects request may name.</summary>
    public const int MaxDeleteObjects = 1000;

    /// <summary>Highest part number.</summary>
    public const int MaxPartNumber = 10_000;

    /// <summary>Parses a DeleteObjects body.</summary>
    public static async Task<DeleteObjectsRequest> ReadDeleteObjectsAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var root = await LoadAsync(body, "Delete", maxBytes, cancellationToken).ConfigureAwait(false);
        var quiet = false;
        var objects = new List<S3ObjectIdentifier>();
        foreach (var e in root.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "Quiet":
                    quiet = ParseBool(e.Value);
                    break;
                case "Object":
                    var key = Single(e, "Key") ?? throw Malformed();
                    objects.Add(new S3ObjectIdentifier(key, Single(e, "VersionId")));
                    if (objects.Count > MaxDeleteObjects)
                    {
                        throw Malformed();
                    }

                    break;
                default:
                    throw Malformed();
            }
        }

        if (objects.Count == 0)
        {
            throw Malformed();
        }

        return new DeleteObjectsRequest(quiet, objects);
    }

    /// <summary>Parses a CompleteMultipartUpload body; parts must be ascending (InvalidPartOrder otherwise).</summary>
    public static async Task<CompleteMultipartUploadRequest> ReadCompleteMultipartUploadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var root = await LoadAsync(body, "CompleteMultipartUpload", maxBytes, cancellationToken).ConfigureAwait(false);
        var parts = new List<S3CompletedPart>();
        foreach (var e in root.Elements())
        {
            if (e.Name.LocalName != "Part")
            {
                throw Malformed();
            }

            var numberText = Single(e, "PartNumber") ?? throw Malformed();
            if (!int.TryParse(numberText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                throw Malformed();
            }

            if (number is < 1 or > MaxPartNumber)
            {
                throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", numberText);
            }

            var etag = Single(e, "ETag") ?? throw Malformed();
            var checksums = new List<S3Checksum>();
            foreach (var algorithm in S3ChecksumAlgorithms.All)
            {
                var value = Single(e, S3ChecksumAlgorithms.XmlElementName(algorithm));
                if (value is not null)
                {
                    checksums.Add(S3Checksum.TryParse(algorithm, value) ?? throw Malformed());
                }
            }

            if (parts.Count > 0 && parts[^1].PartNumber >= number)
            {
                throw new S3Exception(S3Errors.InvalidPartOrder);
            }

            parts.Add(new S3CompletedPart(number, etag.Trim(), checksums));
        }

        if (parts.Count == 0)
        {
            throw Malformed();
        }

        return new CompleteMultipartUploadRequest(parts);
    }

    /// <summary>Parses a PutBucketVersioning body. Status must be Enabled or Suspended when present.</summary>
    public static async Task<VersioningConfiguration> ReadVersioningConfigurationAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var root = await LoadAsync(body, "VersioningConfiguration", maxBytes, cancellationToken).ConfigureAwait(false);
        string? status = null, mfa = null;
        foreach (var e in root.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "Status":
                    status = e.Value.Trim();
                    if (status is not ("Enabled" or "Suspended"))
                    {
                        throw new S3Exception(S3Errors.IllegalVersioningConfigurationException);
                    }

                    break;
                case "MfaDelete":
                    mfa = e.Value.Trim();
                    if (mfa is not ("Enabled" or "Disabled"))
                    {
                        throw Malformed();
                    }

                    break;
                default:
                    throw Malformed();
            }
        }

        return new VersioningConfiguration(status, mfa);
    }

    /// <summary>
    /// Parses a PutObjectTagging body, <c>&lt;Tagging&gt;&lt;TagSet&gt;&lt;Tag&gt;&lt;Key/&gt;&lt;Value/&gt;&lt;/Tag&gt;*&lt;/TagSet&gt;&lt;/Tagging&gt;</c>
    /// (namespace optional; keys and values kept exactly, white space included). Shape errors (no or two TagSets, a Tag
    /// without exactly one Key and one Value, unknown elements) are MalformedXML; the tags are then checked as
    /// <see cref="S3TagSet.Create"/> does (BadRequest over 10, InvalidTag). An empty TagSet is valid.
    /// </summary>
    public static async Task<S3TagSet> ReadTaggingAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var root = await LoadAsync(body, "Tagging", maxBytes, cancellationToken).ConfigureAwait(false);
        var tagSets = root.Elements().ToList();
        if (tagSets.Count != 1 || tagSets[0].Name.LocalName != "TagSet")
        {
            throw Malformed();
        }

        var tags = new List<S3Tag>();
        foreach (var e in tagSets[0].Elements())
        {
            if (e.Name.LocalName != "Tag" || e.Elements().Any(c => c.Name.LocalName is not ("Key" or "Value")))
            {
                throw Malformed();
            }

            tags.Add(new S3Tag(Single(e, "Key") ?? throw Malformed(), Single(e, "Value") ?? throw Malformed()));
        }

        return S3TagSet.Create(tags);
    }

    private static async Task<XElement> LoadAsync(Stream body, string rootName, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };

        XElement root;
        try
        {
            using var reader = XmlReader.Create(body, settings);
            root = await XElement.LoadAsync(reader, LoadOptions.None, cancellationToken).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw new S3Exception(S3Errors.MalformedXml, innerException: ex);
        }

        if (root.Name.LocalName != rootName)
        {
            throw Malformed();
        }

        // Read to the end so a verifying stream checks its digests before we act on the body.
        var buffer = new byte[512];
        while (await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
        {
            // Trailing bytes after the root (whitespace) are discarded.
        }

        return root;
    }

    private static string? Single(XElement parent, string localName)
    {
        string? found = null;
        foreach (var e in parent.Elements())
        {
            if (e.Name.LocalName == localName)
            {
                if (found is not null)
                {
                    throw Malformed();
                }

                found = e.Value;
            }
        }

        return found;
    }

    private static bool ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw Malformed(),
    };

    private static S3Exception Malformed() => new(S3Errors.MalformedXml);
}
