using System.Text;
using Gateway.S3.Errors;
using Gateway.S3.Tags;
using Gateway.S3.Xml.Requests;

namespace Gateway.S3.Tests.Xml;

public sealed class S3XmlRequestReaderTaggingTests
{
    private const int _max = 2 * 1024 * 1024;

    private static Task<S3TagSet> Read(string xml, int max = _max) =>
        S3XmlRequestReader.ReadTaggingAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)), max, CancellationToken.None);

    private static string Body(params (string Key, string Value)[] tags) =>
        "<Tagging><TagSet>" + string.Concat(tags.Select(t => $"<Tag><Key>{t.Key}</Key><Value>{t.Value}</Value></Tag>")) + "</TagSet></Tagging>";

    [Theory]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>Project</Key><Value>Blue</Value></Tag></TagSet></Tagging>", "Project=Blue")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Tagging>\n  <TagSet>\n    <Tag>\n      <Key>a</Key>\n      <Value>1</Value>\n    </Tag>\n    <Tag><Value>2</Value><Key>b</Key></Tag>\n  </TagSet>\n</Tagging>", "a=1|b=2")]
    [InlineData("<Tagging><TagSet/></Tagging>", "")]
    [InlineData("<Tagging><TagSet></TagSet></Tagging>", "")]
    [InlineData("<Tagging><TagSet><Tag><Key>k</Key><Value/></Tag></TagSet></Tagging>", "k=")]
    [InlineData("<Tagging><TagSet><Tag><Key> spaced  key </Key><Value>  </Value></Tag></TagSet></Tagging>", " spaced  key =  ")]
    [InlineData("<Tagging><TagSet><Tag><Key>a+b</Key><Value>1&#x20;2</Value></Tag></TagSet></Tagging>", "a+b=1 2")]
    public async Task ReadTagging_Valid(string xml, string expected)
    {
        var tags = await Read(xml);

        Assert.Equal(expected, string.Join('|', tags.Select(t => t.Key + "=" + t.Value)));
    }

    /// <summary>Text is taken as XML gives it: no URL decoding, so '%' and a decoded '&amp;' are characters S3 refuses.</summary>
    [Theory]
    [InlineData("<Key>%20</Key><Value>x</Value>", "%20")]
    [InlineData("<Key>a&amp;b</Key><Value>x</Value>", "a&b")]
    public async Task ReadTagging_TextTakenLiterally(string tag, string key)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read($"<Tagging><TagSet><Tag>{tag}</Tag></TagSet></Tagging>"));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal([new("TagKey", key)], ex.Details);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<Tagging>")]
    [InlineData("<Tagging/>")]
    [InlineData("<Tagging></Tagging>")]
    [InlineData("<Other><TagSet/></Other>")]
    [InlineData("<TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet>")]
    [InlineData("<Tagging><TagSet/><TagSet/></Tagging>")]
    [InlineData("<Tagging><TagSet/><Extra/></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Value>1</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value>1</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value><Value>2</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value><Other/></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging><TagSet><Item><Key>a</Key><Value>1</Value></Item></TagSet></Tagging>")]
    [InlineData("<!DOCTYPE t [<!ENTITY x \"y\">]><Tagging><TagSet><Tag><Key>&x;</Key><Value>1</Value></Tag></TagSet></Tagging>")]
    public async Task ReadTagging_BadShape_MalformedXml(string xml)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(xml));

        Assert.Same(S3Errors.MalformedXml, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
    }

    [Fact]
    public async Task ReadTagging_OverByteLimit_MaxMessageLengthExceeded()
    {
        var xml = Body(("k", new string('v', 200)));

        Assert.Same(S3Errors.MaxMessageLengthExceeded, (await Assert.ThrowsAsync<S3Exception>(() => Read(xml, max: 100))).Error);
    }

    [Fact]
    public async Task ReadTagging_ElevenTags_BadRequest()
    {
        var xml = Body([.. Enumerable.Range(0, 11).Select(i => ($"k{i}", "v"))]);

        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read(xml));

        Assert.Same(S3Errors.BadRequest, ex.Error);
        Assert.Equal("Object tags cannot be greater than 10", ex.Message);
    }

    [Fact]
    public async Task ReadTagging_TenTags_Accepted()
    {
        var xml = Body([.. Enumerable.Range(0, 10).Select(i => ($"k{i}", "v"))]);

        Assert.Equal(10, (await Read(xml)).Count);
    }

    [Theory]
    [InlineData("<Key>a</Key><Value>1</Value>", "<Key>a</Key><Value>2</Value>", "Cannot provide multiple Tags with the same key")]
    [InlineData("<Key>a</Key><Value>1</Value>", "<Key></Key><Value>2</Value>", "The TagKey you have provided is invalid")]
    [InlineData("<Key>a</Key><Value>1</Value>", "<Key>aws:x</Key><Value>2</Value>", "Your TagKey cannot be prefixed with aws:")]
    [InlineData("<Key>a</Key><Value>1</Value>", "<Key>b</Key><Value>a;b</Value>", "The TagValue you have provided is invalid")]
    public async Task ReadTagging_BadTag_InvalidTag(string first, string second, string message)
    {
        var ex = await Assert.ThrowsAsync<S3Exception>(() => Read($"<Tagging><TagSet><Tag>{first}</Tag><Tag>{second}</Tag></TagSet></Tagging>"));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task ReadTagging_ReadsBodyToTheEnd()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(Body(("a", "1")) + "\n\n   "));

        await S3XmlRequestReader.ReadTaggingAsync(stream, _max, CancellationToken.None);

        Assert.Equal(stream.Length, stream.Position);
    }
}
