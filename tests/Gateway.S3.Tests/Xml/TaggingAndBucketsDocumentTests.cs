using System.Xml.Linq;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Documents;

namespace Gateway.S3.Tests.Xml;

public sealed class TaggingAndBucketsDocumentTests
{
    private const string _ns = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static readonly DateTimeOffset _t = new(2009, 10, 12, 17, 50, 30, TimeSpan.Zero);
    private static readonly S3Owner _owner = new("id1", "name1");

    [Fact]
    public async Task Tagging_TagsInSetOrder()
    {
        var doc = new Tagging { TagSet = S3TagSet.FromHeader("z=last%20one&a=&m=%C3%A9") };

        await XmlAssert.EqualAsync(
            $"<Tagging xmlns=\"{_ns}\"><TagSet>" +
            "<Tag><Key>z</Key><Value>last one</Value></Tag>" +
            "<Tag><Key>a</Key><Value></Value></Tag>" +
            "<Tag><Key>m</Key><Value>é</Value></Tag>" +
            "</TagSet></Tagging>",
            doc);
    }

    [Fact]
    public async Task Tagging_Empty_EmptyTagSet()
    {
        await XmlAssert.EqualAsync($"<Tagging xmlns=\"{_ns}\"><TagSet/></Tagging>", new Tagging { TagSet = S3TagSet.Empty });
    }

    [Fact]
    public async Task Tagging_TextEscapedAndReadBack()
    {
        var doc = await XmlAssert.RenderAsync(new Tagging { TagSet = S3TagSet.Create([new S3Tag("a+b", "x=1 / y:2 @ z")]) });

        XNamespace s3 = _ns;
        var tag = doc.Root!.Element(s3 + "TagSet")!.Element(s3 + "Tag")!;
        Assert.Equal("a+b", tag.Element(s3 + "Key")!.Value);
        Assert.Equal("x=1 / y:2 @ z", tag.Element(s3 + "Value")!.Value);
    }

    [Fact]
    public async Task ListAllMyBuckets_Paginated_TokenAndPrefixAfterBuckets()
    {
        var doc = new ListAllMyBucketsResult
        {
            Owner = _owner,
            Buckets = [new("pre-a", _t) { BucketRegion = "us-east-1" }, new("pre-b", _t) { BucketRegion = "us-east-1" }],
            ContinuationToken = "opaque+/=",
            Prefix = "pre-",
        };

        await XmlAssert.EqualAsync(
            $"<ListAllMyBucketsResult xmlns=\"{_ns}\"><Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><Buckets>" +
            "<Bucket><Name>pre-a</Name><CreationDate>2009-10-12T17:50:30.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>" +
            "<Bucket><Name>pre-b</Name><CreationDate>2009-10-12T17:50:30.000Z</CreationDate><BucketRegion>us-east-1</BucketRegion></Bucket>" +
            "</Buckets><ContinuationToken>opaque+/=</ContinuationToken><Prefix>pre-</Prefix></ListAllMyBucketsResult>",
            doc);
    }

    [Fact]
    public async Task ListAllMyBuckets_LastPage_EmptyPrefixEchoedNoToken()
    {
        var doc = new ListAllMyBucketsResult { Owner = _owner, Buckets = [new("b", _t)], Prefix = "" };

        await XmlAssert.EqualAsync(
            $"<ListAllMyBucketsResult xmlns=\"{_ns}\"><Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><Buckets>" +
            "<Bucket><Name>b</Name><CreationDate>2009-10-12T17:50:30.000Z</CreationDate></Bucket>" +
            "</Buckets><Prefix/></ListAllMyBucketsResult>",
            doc);
    }

    [Fact]
    public async Task ListAllMyBuckets_Unpaginated_Unchanged()
    {
        await XmlAssert.EqualAsync(
            $"<ListAllMyBucketsResult xmlns=\"{_ns}\"><Owner><ID>id1</ID><DisplayName>name1</DisplayName></Owner><Buckets/></ListAllMyBucketsResult>",
            new ListAllMyBucketsResult { Owner = _owner });
    }
}
