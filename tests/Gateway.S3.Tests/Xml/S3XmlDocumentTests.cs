using System.Text;
using Gateway.S3.Checksums;
using Gateway.S3.Xml;
using Gateway.S3.Xml.Documents;

namespace Gateway.S3.Tests.Xml;

public sealed class S3XmlDocumentTests
{
    internal const string Decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    internal const string Ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
    internal static readonly DateTimeOffset T = new(2009, 10, 12, 17, 50, 30, TimeSpan.Zero);
    internal static readonly S3Owner Owner = new("id1", "name1");

    private static async Task<string> Render(IS3XmlDocument doc)
    {
        using var ms = new MemoryStream();
        await S3XmlResponse.WriteAsync(ms, doc, CancellationToken.None);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public void FormatTimestamp_Milliseconds()
    {
        Assert.Equal("2009-10-12T17:50:30.000Z", S3Xml.FormatTimestamp(T));
        Assert.Equal("2009-10-12T15:50:30.123Z", S3Xml.FormatTimestamp(new DateTimeOffset(2009, 10, 12, 17, 50, 30, 123, TimeSpan.FromHours(2))));
    }

    [Fact]
    public async Task ListAllMyBuckets_OwnerThenBuckets()
    {
        var xml = await Render(new ListAllMyBucketsResult { Owner = Owner, Buckets = [new("a", T), new("b", T)] });

        Assert.Equal(
            Decl + $"<ListAllMyBucketsResult {Ns}><Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><Buckets>" +
            "<Bucket><Name>a</Name><CreationDate>2009-10-12T17:50:30.000Z</CreationDate></Bucket>" +
            "<Bucket><Name>b</Name><CreationDate>2009-10-12T17:50:30.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>",
            xml);
    }

    [Fact]
    public async Task ListBucketResultV1_ElementOrder()
    {
        var xml = await Render(new ListBucketResult
        {
            Name = "b",
            Prefix = "p/",
            Marker = "m",
            MaxKeys = 2,
            Delimiter = "/",
            IsTruncated = true,
            NextMarker = "p/z",
            Contents = [new S3ObjectEntry { Key = "p/a", LastModified = T, ETag = "abc", Size = 5, Owner = Owner }],
            CommonPrefixes = ["p/d/"],
        });

        Assert.Equal(
            Decl + $"<ListBucketResult {Ns}><Name>b</Name><Prefix>p/</Prefix><Marker>m</Marker><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>" +
            "<IsTruncated>true</IsTruncated><NextMarker>p/z</NextMarker>" +
            "<Contents><Key>p/a</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>\"abc\"</ETag><Size>5</Size>" +
            "<Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><StorageClass>STANDARD</StorageClass></Contents>" +
            "<CommonPrefixes><Prefix>p/d/</Prefix></CommonPrefixes></ListBucketResult>",
            xml);
    }

    [Fact]
    public async Task ListBucketResultV2_ElementOrder_OwnerOnlyWithFetchOwner()
    {
        var doc = new ListBucketResultV2
        {
            Name = "b",
            MaxKeys = 1000,
            IsTruncated = false,
            ContinuationToken = "ct",
            NextContinuationToken = "nct",
            StartAfter = "sa",
            Contents = [new S3ObjectEntry { Key = "k", LastModified = T, ETag = "\"e\"", Size = 0, Owner = Owner }],
        };

        var xml = await Render(doc);

        Assert.Equal(
            Decl + $"<ListBucketResult {Ns}><Name>b</Name><Prefix /><MaxKeys>1000</MaxKeys><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>" +
            "<ContinuationToken>ct</ContinuationToken><NextContinuationToken>nct</NextContinuationToken><StartAfter>sa</StartAfter>" +
            "<Contents><Key>k</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>\"e\"</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>" +
            "</ListBucketResult>",
            xml);
        Assert.Contains("<Owner>", await Render(new ListBucketResultV2 { Name = "b", FetchOwner = true, Contents = doc.Contents }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListBucketResultV2_EncodingTypeUrl_EncodesKeysAndPrefixes()
    {
        var xml = await Render(new ListBucketResultV2
        {
            Name = "b",
            Prefix = "a b/",
            Delimiter = "/",
            EncodingType = "url",
            StartAfter = "a b/+",
            Contents = [new S3ObjectEntry { Key = "a b/c+d✓", LastModified = T, ETag = "e", Size = 1 }],
            CommonPrefixes = ["a b/x&y/"],
        });

        Assert.Contains("<Prefix>a%20b/</Prefix>", xml, StringComparison.Ordinal);
        Assert.Contains("<StartAfter>a%20b/%2B</StartAfter><EncodingType>url</EncodingType>", xml, StringComparison.Ordinal);
        Assert.Contains("<Key>a%20b/c%2Bd%E2%9C%93</Key>", xml, StringComparison.Ordinal);
        Assert.Contains("<CommonPrefixes><Prefix>a%20b/x%26y/</Prefix></CommonPrefixes>", xml, StringComparison.Ordinal);
        Assert.Contains("<KeyCount>2</KeyCount><Delimiter>/</Delimiter>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysWithXmlSpecials_Escaped()
    {
        var xml = await Render(new ListBucketResult { Name = "b", Contents = [new S3ObjectEntry { Key = "<a&b>", LastModified = T, ETag = "e", Size = 1 }] });

        Assert.Contains("<Key>&lt;a&amp;b&gt;</Key>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysWithControlCharacters_ReplacedSoTheDocumentParses()
    {
        var xml = await Render(new ListBucketResult { Name = "b", Contents = [new S3ObjectEntry { Key = "a\u0001b\tc", LastModified = T, ETag = "e", Size = 1 }] });

        Assert.Contains("<Key>a\uFFFDb\tc</Key>", xml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>")]
    [InlineData("us-east-1", "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>")]
    [InlineData("eu-west-1", "<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>")]
    public async Task LocationConstraint_Shapes(string? location, string expected)
    {
        Assert.Equal(Decl + expected, await Render(new LocationConstraintResult(location)));
    }

    [Fact]
    public async Task VersioningConfiguration_StatusOptional()
    {
        Assert.Equal(Decl + $"<VersioningConfiguration {Ns}><Status>Enabled</Status></VersioningConfiguration>", await Render(new VersioningConfiguration("Enabled")));
        Assert.Equal(Decl + $"<VersioningConfiguration {Ns}></VersioningConfiguration>", await Render(new VersioningConfiguration(null)));
    }

    [Fact]
    public async Task DeleteResult_DeletedThenErrors_QuietOmitsDeleted()
    {
        var doc = new DeleteResult
        {
            Deleted = [new S3Deleted("a"), new S3Deleted("b", "v1", true, "dm1")],
            Errors = [new S3DeleteError("c", "AccessDenied", "Access Denied", "v2")],
        };

        Assert.Equal(
            Decl + $"<DeleteResult {Ns}><Deleted><Key>a</Key></Deleted>" +
            "<Deleted><Key>b</Key><VersionId>v1</VersionId><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>dm1</DeleteMarkerVersionId></Deleted>" +
            "<Error><Key>c</Key><VersionId>v2</VersionId><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>",
            await Render(doc));
        Assert.Equal(
            Decl + $"<DeleteResult {Ns}></DeleteResult>",
            await Render(new DeleteResult { Quiet = true, Deleted = doc.Deleted }));
    }

    [Fact]
    public async Task CopyObjectResult_AndCopyPartResult()
    {
        var crc = new S3Checksum(S3ChecksumAlgorithm.Crc32, "AAAAAA==");

        Assert.Equal(
            Decl + $"<CopyObjectResult {Ns}><ETag>\"e\"</ETag><LastModified>2009-10-12T17:50:30.000Z</LastModified><ChecksumCRC32>AAAAAA==</ChecksumCRC32></CopyObjectResult>",
            await Render(new CopyObjectResult { ETag = "e", LastModified = T, Checksums = [crc] }));
        Assert.StartsWith(Decl + "<CopyPartResult", await Render(new CopyObjectResult { ETag = "e", LastModified = T, IsPart = true }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultipartDocuments_ElementOrder()
    {
        Assert.Equal(
            Decl + $"<InitiateMultipartUploadResult {Ns}><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId></InitiateMultipartUploadResult>",
            await Render(new InitiateMultipartUploadResult("b", "k", "u")));
        Assert.Equal(
            Decl + $"<CompleteMultipartUploadResult {Ns}><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>",
            await Render(new CompleteMultipartUploadResult { Location = "http://h/b/k", Bucket = "b", Key = "k", ETag = "e-2" }));
        Assert.Equal(
            Decl + $"<ListPartsResult {Ns}><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>" +
            "<Initiator><ID>id1</ID><DisplayName>name1</DisplayName></Initiator><Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner>" +
            "<StorageClass>STANDARD</StorageClass><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>1</NextPartNumberMarker>" +
            "<MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>" +
            "<Part><PartNumber>1</PartNumber><LastModified>2009-10-12T17:50:30.000Z</LastModified><ETag>\"p1\"</ETag><Size>5242880</Size></Part></ListPartsResult>",
            await Render(new ListPartsResult { Bucket = "b", Key = "k", UploadId = "u", Initiator = Owner, Owner = Owner, NextPartNumberMarker = 1, Parts = [new S3PartEntry(1, T, "p1", 5242880)] }));
        Assert.Equal(
            Decl + $"<ListMultipartUploadsResult {Ns}><Bucket>b</Bucket><KeyMarker /><UploadIdMarker /><NextKeyMarker /><NextUploadIdMarker />" +
            "<Prefix /><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>" +
            "<Upload><Key>k</Key><UploadId>u</UploadId><Initiator><ID>id1</ID><DisplayName>name1</DisplayName></Initiator>" +
            "<Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><StorageClass>STANDARD</StorageClass><Initiated>2009-10-12T17:50:30.000Z</Initiated></Upload>" +
            "</ListMultipartUploadsResult>",
            await Render(new ListMultipartUploadsResult { Bucket = "b", Uploads = [new S3UploadEntry("k", "u", Owner, Owner, T)] }));
    }

    [Fact]
    public async Task ListVersionsResult_VersionsAndDeleteMarkersInOrder()
    {
        var xml = await Render(new ListVersionsResult
        {
            Name = "b",
            IsTruncated = true,
            NextKeyMarker = "k",
            NextVersionIdMarker = "v2",
            Entries =
            [
                new S3VersionEntry { Key = "k", VersionId = "v3", IsLatest = true, LastModified = T, IsDeleteMarker = true, Owner = Owner },
                new S3VersionEntry { Key = "k", VersionId = "v2", IsLatest = false, LastModified = T, ETag = "e", Size = 3 },
            ],
        });

        Assert.Equal(
            Decl + $"<ListVersionsResult {Ns}><Name>b</Name><Prefix /><KeyMarker /><VersionIdMarker /><NextKeyMarker>k</NextKeyMarker>" +
            "<NextVersionIdMarker>v2</NextVersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>" +
            "<DeleteMarker><Key>k</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest><LastModified>2009-10-12T17:50:30.000Z</LastModified>" +
            "<Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner></DeleteMarker>" +
            "<Version><Key>k</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest><LastModified>2009-10-12T17:50:30.000Z</LastModified>" +
            "<ETag>\"e\"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Version></ListVersionsResult>",
            xml);
    }
}
