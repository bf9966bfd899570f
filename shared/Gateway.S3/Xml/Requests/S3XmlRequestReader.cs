using System.Collections.Frozen;
using System.Globalization;
using Gateway.S3.Checksums;
using Gateway.S3.Errors;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;

namespace Gateway.S3.Xml.Requests;

/// <summary>
/// Readers of the XML request bodies the gateway takes. Each streams its body through an <see cref="XmlBodyReader"/>
/// (secure XmlReader, no DTD) and checks the document as it arrives: an unexpected element, or one over a count S3
/// sets (1,000 objects, part numbers up to 10,000 in ascending order, 10 tags), ends the read there with S3's error.
/// Every reader takes the same byte limit (<see cref="S3ProtocolOptions.MaxXmlBodyBytes"/>): more is
/// MaxMessageLengthExceeded. A body that parses is then read to its end, so a verifying stream checks its digests before
/// the request is acted on.
/// </summary>
public static class S3XmlRequestReader
{
    /// <summary>Most keys one DeleteObjects request may name.</summary>
    public const int MaxDeleteObjects = 1000;

    /// <summary>Highest part number.</summary>
    public const int MaxPartNumber = 10_000;

    private static readonly FrozenDictionary<string, S3ChecksumAlgorithm> _checksumElements =
        S3ChecksumAlgorithms.All.ToFrozenDictionary(S3ChecksumAlgorithms.XmlElementName, a => a, StringComparer.Ordinal);

    /// <summary>Parses a DeleteObjects body; the 1,001st Object is MalformedXML, as S3 answers.</summary>
    public static async Task<DeleteObjectsRequest> ReadDeleteObjectsAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var xml = new XmlBodyReader(body, maxBytes);
        await xml.ReadRootAsync("Delete").ConfigureAwait(false);
        var quiet = false;
        var objects = new List<S3ObjectIdentifier>();
        while (await xml.ReadChildAsync(0).ConfigureAwait(false))
        {
            switch (xml.Name)
            {
                case "Quiet":
                    quiet = ParseBool(await xml.ReadTextAsync().ConfigureAwait(false));
                    break;
                case "Object" when objects.Count < MaxDeleteObjects:
                    objects.Add(await ReadObjectAsync(xml).ConfigureAwait(false));
                    break;
                default:
                    throw XmlBodyReader.Malformed();
            }
        }

        if (objects.Count == 0)
        {
            throw XmlBodyReader.Malformed();
        }

        await xml.FinishAsync(cancellationToken).ConfigureAwait(false);
        return new DeleteObjectsRequest(quiet, objects);
    }

    /// <summary>Parses a CompleteMultipartUpload body; parts must be ascending (InvalidPartOrder otherwise).</summary>
    public static async Task<CompleteMultipartUploadRequest> ReadCompleteMultipartUploadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var xml = new XmlBodyReader(body, maxBytes);
        await xml.ReadRootAsync("CompleteMultipartUpload").ConfigureAwait(false);
        var parts = new List<S3CompletedPart>();
        while (await xml.ReadChildAsync(0).ConfigureAwait(false))
        {
            if (xml.Name != "Part")
            {
                throw XmlBodyReader.Malformed();
            }

            // Numbers run from 1 to 10,000 and ascend, so the part after the 10,000th is refused here, as it arrives.
            var part = await ReadPartAsync(xml).ConfigureAwait(false);
            if (parts.Count > 0 && parts[^1].PartNumber >= part.PartNumber)
            {
                throw new S3Exception(S3Errors.InvalidPartOrder);
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
        {
            throw XmlBodyReader.Malformed();
        }

        await xml.FinishAsync(cancellationToken).ConfigureAwait(false);
        return new CompleteMultipartUploadRequest(parts);
    }

    /// <summary>Parses a PutBucketVersioning body. Status must be Enabled or Suspended when present.</summary>
    public static async Task<VersioningConfiguration> ReadVersioningConfigurationAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var xml = new XmlBodyReader(body, maxBytes);
        await xml.ReadRootAsync("VersioningConfiguration").ConfigureAwait(false);
        string? status = null, mfa = null;
        while (await xml.ReadChildAsync(0).ConfigureAwait(false))
        {
            switch (xml.Name)
            {
                case "Status":
                    status = (await xml.ReadTextAsync().ConfigureAwait(false)).Trim();
                    if (status is not ("Enabled" or "Suspended"))
                    {
                        throw new S3Exception(S3Errors.IllegalVersioningConfigurationException);
                    }

                    break;
                case "MfaDelete":
                    mfa = (await xml.ReadTextAsync().ConfigureAwait(false)).Trim();
                    if (mfa is not ("Enabled" or "Disabled"))
                    {
                        throw XmlBodyReader.Malformed();
                    }

                    break;
                default:
                    throw XmlBodyReader.Malformed();
            }
        }

        await xml.FinishAsync(cancellationToken).ConfigureAwait(false);
        return new VersioningConfiguration(status, mfa);
    }

    /// <summary>
    /// Parses a PutObjectTagging body, <c>&lt;Tagging&gt;&lt;TagSet&gt;&lt;Tag&gt;&lt;Key/&gt;&lt;Value/&gt;&lt;/Tag&gt;*&lt;/TagSet&gt;&lt;/Tagging&gt;</c>
    /// (namespace optional; keys and values kept exactly, white space included). Shape errors (no or two TagSets, a Tag
    /// without exactly one Key and one Value, unknown elements) are MalformedXML; the tags are then checked as
    /// <see cref="S3TagSet.Create"/> does (BadRequest over 10, as soon as the 11th arrives; InvalidTag). An empty TagSet
    /// is valid.
    /// </summary>
    public static async Task<S3TagSet> ReadTaggingAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var xml = new XmlBodyReader(body, maxBytes);
        await xml.ReadRootAsync("Tagging").ConfigureAwait(false);
        if (!await xml.ReadChildAsync(0).ConfigureAwait(false) || xml.Name != "TagSet")
        {
            throw XmlBodyReader.Malformed();
        }

        var tags = new List<S3Tag>();
        while (await xml.ReadChildAsync(1).ConfigureAwait(false))
        {
            if (xml.Name != "Tag")
            {
                throw XmlBodyReader.Malformed();
            }

            tags.Add(await ReadTagAsync(xml).ConfigureAwait(false));
            if (tags.Count > S3TagSet.MaxTags)
            {
                // S3TagSet answers a set this large with S3's error; the rest of the body need not be read.
                _ = S3TagSet.Create(tags);
            }
        }

        if (await xml.ReadChildAsync(0).ConfigureAwait(false))
        {
            throw XmlBodyReader.Malformed();
        }

        await xml.FinishAsync(cancellationToken).ConfigureAwait(false);
        return S3TagSet.Create(tags);
    }

    /// <summary>
    /// Parses a CreateBucket body: null when the body is empty, else its <c>LocationConstraint</c> (null when absent).
    /// A directory bucket's <c>Location</c> or <c>Bucket</c> and bucket <c>Tags</c> are NotImplemented; anything else
    /// but a well-formed <c>CreateBucketConfiguration</c> is MalformedXML.
    /// </summary>
    public static async Task<CreateBucketConfiguration?> ReadCreateBucketConfigurationAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var xml = new XmlBodyReader(body, maxBytes);
        if (!await xml.ReadRootAsync("CreateBucketConfiguration", emptyAllowed: true).ConfigureAwait(false))
        {
            return null;
        }

        string? location = null;
        while (await xml.ReadChildAsync(0).ConfigureAwait(false))
        {
            switch (xml.Name)
            {
                case "LocationConstraint" when location is null:
                    location = await xml.ReadTextAsync().ConfigureAwait(false);
                    break;
                case "Location" or "Bucket" or "Tags":
                    throw S3Exception.NotImplemented($"The '{xml.Name}' element of CreateBucketConfiguration");
                default:
                    throw XmlBodyReader.Malformed();
            }
        }

        await xml.FinishAsync(cancellationToken).ConfigureAwait(false);
        return new CreateBucketConfiguration(location);
    }

    /// <summary>One <c>&lt;Object&gt;</c>: a Key, an optional VersionId; other text elements (ETag, Size, ...) are not used.</summary>
    private static async Task<S3ObjectIdentifier> ReadObjectAsync(XmlBodyReader xml)
    {
        string? key = null, versionId = null;
        while (await xml.ReadChildAsync(1).ConfigureAwait(false))
        {
            var name = xml.Name;
            var text = await xml.ReadTextAsync().ConfigureAwait(false);
            switch (name)
            {
                case "Key":
                    key = key is null ? text : throw XmlBodyReader.Malformed();
                    break;
                case "VersionId":
                    versionId = versionId is null ? text : throw XmlBodyReader.Malformed();
                    break;
            }
        }

        return new S3ObjectIdentifier(key ?? throw XmlBodyReader.Malformed(), versionId);
    }

    /// <summary>One <c>&lt;Part&gt;</c>: PartNumber, ETag, checksums; other text elements are not used.</summary>
    private static async Task<S3CompletedPart> ReadPartAsync(XmlBodyReader xml)
    {
        string? numberText = null, etag = null;
        var checksumTexts = new Dictionary<S3ChecksumAlgorithm, string>();
        while (await xml.ReadChildAsync(1).ConfigureAwait(false))
        {
            var name = xml.Name;
            var text = await xml.ReadTextAsync().ConfigureAwait(false);
            if (name == "PartNumber")
            {
                numberText = numberText is null ? text : throw XmlBodyReader.Malformed();
            }
            else if (name == "ETag")
            {
                etag = etag is null ? text : throw XmlBodyReader.Malformed();
            }
            else if (_checksumElements.TryGetValue(name, out var algorithm) && !checksumTexts.TryAdd(algorithm, text))
            {
                throw XmlBodyReader.Malformed();
            }
        }

        if (numberText is null || !int.TryParse(numberText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw XmlBodyReader.Malformed();
        }

        if (number is < 1 or > MaxPartNumber)
        {
            throw S3Exception.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", numberText);
        }

        var trimmedETag = etag?.Trim() ?? throw XmlBodyReader.Malformed();
        var checksums = new List<S3Checksum>(checksumTexts.Count);
        foreach (var algorithm in S3ChecksumAlgorithms.All)
        {
            if (checksumTexts.TryGetValue(algorithm, out var value))
            {
                checksums.Add(S3Checksum.TryParse(algorithm, value) ?? throw XmlBodyReader.Malformed());
            }
        }

        return new S3CompletedPart(number, trimmedETag, checksums);
    }

    /// <summary>One <c>&lt;Tag&gt;</c>: exactly one Key and one Value, nothing else.</summary>
    private static async Task<S3Tag> ReadTagAsync(XmlBodyReader xml)
    {
        string? key = null, value = null;
        while (await xml.ReadChildAsync(2).ConfigureAwait(false))
        {
            switch (xml.Name)
            {
                case "Key" when key is null:
                    key = await xml.ReadTextAsync().ConfigureAwait(false);
                    break;
                case "Value" when value is null:
                    value = await xml.ReadTextAsync().ConfigureAwait(false);
                    break;
                default:
                    throw XmlBodyReader.Malformed();
            }
        }

        return new S3Tag(key ?? throw XmlBodyReader.Malformed(), value ?? throw XmlBodyReader.Malformed());
    }

    private static bool ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw XmlBodyReader.Malformed(),
    };
}
