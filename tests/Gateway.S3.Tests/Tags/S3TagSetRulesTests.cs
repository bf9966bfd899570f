using Gateway.S3.Errors;
using Gateway.S3.Tags;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Tags;

/// <summary>S3TagSet.Create: the rules shared by the header and the PutObjectTagging body.</summary>
public sealed class S3TagSetRulesTests
{
    public static TheoryData<string, string> ValidTags => new()
    {
        { "k", "" },
        { new string('k', 128), new string('v', 256) },
        { string.Concat(Enumerable.Repeat("𝒜", 64)), "supplementary letters count two UTF-16 units each" },
        { "日本語 キー", "värde" },
        { "a b\u00A0c", "no-break space is a separator" },
        { "_.:/=+-@", "_.:/=+-@" },
        { "digits 0123456789 ٣", "Ⅻ roman numeral is a letter number" },
        { "AWS:upper", "only lower-case aws: is reserved" },
    };

    [Theory]
    [MemberData(nameof(ValidTags))]
    public void Create_Valid(string key, string value)
    {
        var set = S3TagSet.Create([new S3Tag(key, value)]);

        Assert.Equal(new S3Tag(key, value), Assert.Single(set));
    }

    public static TheoryData<string, string, string, string[]> InvalidTags => new()
    {
        // key, value, expected message, expected detail element names
        { "", "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { new string('k', 129), "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { string.Concat(Enumerable.Repeat("𝒜", 65)), "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { "tab\tkey", "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { "emoji😀", "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { "a&b", "v", "The TagKey you have provided is invalid", ["TagKey"] },
        { "aws:key", "v", "Your TagKey cannot be prefixed with aws:", ["TagKey"] },
        { "k", new string('v', 257), "The TagValue you have provided is invalid", ["TagKey", "TagValue"] },
        { "k", "line\nbreak", "The TagValue you have provided is invalid", ["TagKey", "TagValue"] },
        { "k", "<angle>", "The TagValue you have provided is invalid", ["TagKey", "TagValue"] },
        { "k", "%20", "The TagValue you have provided is invalid", ["TagKey", "TagValue"] },
    };

    [Theory]
    [MemberData(nameof(InvalidTags))]
    public void Create_Invalid_InvalidTag(string key, string value, string message, string[] details)
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.Create([new S3Tag(key, value)]));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
        Assert.Equal(message, ex.Message);
        Assert.Equal(details, ex.Details.Select(d => d.Key));
        Assert.Equal(key, ex.Details[0].Value);
    }

    [Fact]
    public void Create_DuplicateKey_InvalidTag()
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.Create([new S3Tag("a", "1"), new S3Tag("b", "2"), new S3Tag("a", "3")]));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal("Cannot provide multiple Tags with the same key", ex.Message);
        Assert.Equal([new("TagKey", "a")], ex.Details);
    }

    [Fact]
    public void Create_KeysAreCaseSensitive()
    {
        Assert.Equal(2, S3TagSet.Create([new S3Tag("Key", "1"), new S3Tag("key", "2")]).Count);
    }

    [Fact]
    public void Create_CountCheckedBeforeTags()
    {
        var tags = Enumerable.Range(0, 11).Select(i => new S3Tag("aws:" + i, "v"));

        Assert.Same(S3Errors.BadRequest, Assert.Throws<S3Exception>(() => S3TagSet.Create(tags)).Error);
    }

    [Fact]
    public void Create_KeepsOrder()
    {
        var set = S3TagSet.Create([new S3Tag("z", "1"), new S3Tag("a", "2"), new S3Tag("m", "3")]);

        Assert.Equal(["z", "a", "m"], set.Select(t => t.Key));
        Assert.Equal("a", set[1].Key);
    }

    [Fact]
    public void Create_NullTag_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => S3TagSet.Create([new S3Tag("k", null!)]));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("a=1", "1")]
    [InlineData("a=1&b=2&c=3", "3")]
    public void ApplyCountTo_OnlyWhenTagged(string header, string? expected)
    {
        var headers = new HeaderDictionary();

        S3TagSet.FromHeader(header).ApplyCountTo(headers);

        Assert.Equal(expected, headers.TryGetValue("x-amz-tagging-count", out var v) ? v.ToString() : null);
    }
}
