using Gateway.S3.Errors;
using Gateway.S3.Tags;

namespace Gateway.S3.Tests.Tags;

/// <summary>x-amz-tagging: form-encoded query parameters, then S3's tag rules.</summary>
public sealed class S3TagSetHeaderTests
{
    private const string _invalidHeaderMessage =
        "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

    /// <summary>Header → expected tags, written "k=v|k=v" (no '|' or '=' inside the expected keys).</summary>
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("&", "")]
    [InlineData("&&&", "")]
    [InlineData("key", "key=")]
    [InlineData("key&", "key=")]
    [InlineData("key=&", "key=")]
    [InlineData("key=val&", "key=val")]
    [InlineData("key1&key2", "key1=|key2=")]
    [InlineData("key1=val1&key2=val2", "key1=val1|key2=val2")]
    [InlineData("foo=bar&bar", "foo=bar|bar=")]
    [InlineData("key@=val@", "key@=val@")]
    [InlineData("key-key_key.key/key:k=value-value_value.value/value:v", "key-key_key.key/key:k=value-value_value.value/value:v")]
    [InlineData("key%2E=value%2F", "key.=value/")]
    [InlineData("key%2D=value%2B", "key-=value+")]
    [InlineData("key%2d=value%2b", "key-=value+")]
    [InlineData("key++key=value++value", "key  key=value  value")]
    [InlineData("key%20key=value%20value", "key key=value value")]
    [InlineData("k=%C3%A9t%C3%A9", "k=été")]
    [InlineData("k=été", "k=été")]
    [InlineData("%E6%97%A5%E6%9C%AC=%F0%9D%92%9C", "日本=𝒜")]
    [InlineData("AWS:k=v", "AWS:k=v")]
    public void FromHeader_Valid(string? header, string expected)
    {
        var tags = S3TagSet.FromHeader(header);

        Assert.Equal(expected, string.Join('|', tags.Select(t => t.Key + "=" + t.Value)));
    }

    [Fact]
    public void FromHeader_EqualsSignInValue_MustBeEncoded()
    {
        var tags = S3TagSet.FromHeader("a=b%3Dc");

        Assert.Equal([new S3Tag("a", "b=c")], tags);
    }

    [Theory]
    [InlineData("=")]
    [InlineData("=v")]
    [InlineData("a=1&=v")]
    [InlineData("key%")]
    [InlineData("key%4")]
    [InlineData("key%zz=v")]
    [InlineData("k=%C3")]
    [InlineData("k=%FF")]
    [InlineData("k=%C3%28")]
    [InlineData("key=val&key=val")]
    [InlineData("a=&a=")]
    [InlineData("a=1&b=2&a")]
    [InlineData("a=b=c")]
    [InlineData("TagSet=[{Key=string,Value=string}]")]
    public void FromHeader_BadEncodingOrDuplicate_InvalidArgument(string header)
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.FromHeader(header));

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
        Assert.Equal(_invalidHeaderMessage, ex.Message);
        Assert.Equal(
            [new("ArgumentName", "x-amz-tagging"), new("ArgumentValue", header)],
            ex.Details);
    }

    [Theory]
    [InlineData("key?=val")]
    [InlineData("key(=val")]
    [InlineData("key*=val")]
    [InlineData("key$=val")]
    [InlineData("key#=val")]
    [InlineData("key!=val")]
    [InlineData("key%09=val")]
    [InlineData("%F0%9F%98%80=val")]
    [InlineData("TagSet%3D%5B%7BKey%3Dstring%2CValue%3Dstring%7D%5D")]
    public void FromHeader_BadKey_InvalidTag(string header)
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.FromHeader(header));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal("The TagKey you have provided is invalid", ex.Message);
        Assert.Equal("TagKey", Assert.Single(ex.Details).Key);
    }

    [Theory]
    [InlineData("key=val?", "val?")]
    [InlineData("key=val(", "val(")]
    [InlineData("key=val*", "val*")]
    [InlineData("key=val$", "val$")]
    [InlineData("key=val%23", "val#")]
    [InlineData("key=val!", "val!")]
    [InlineData("key=a%0Ab", "a\nb")]
    public void FromHeader_BadValue_InvalidTagWithKeyAndValue(string header, string value)
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.FromHeader(header));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal("The TagValue you have provided is invalid", ex.Message);
        Assert.Equal([new("TagKey", "key"), new("TagValue", value)], ex.Details);
    }

    [Fact]
    public void FromHeader_AwsPrefix_InvalidTag()
    {
        var ex = Assert.Throws<S3Exception>(() => S3TagSet.FromHeader("aws:owner=me"));

        Assert.Same(S3Errors.InvalidTag, ex.Error);
        Assert.Equal("Your TagKey cannot be prefixed with aws:", ex.Message);
        Assert.Equal([new("TagKey", "aws:owner")], ex.Details);
    }

    [Fact]
    public void FromHeader_ElevenTags_BadRequest()
    {
        var header = string.Join('&', Enumerable.Range(0, 11).Select(i => $"k{i}=v"));

        var ex = Assert.Throws<S3Exception>(() => S3TagSet.FromHeader(header));

        Assert.Same(S3Errors.BadRequest, ex.Error);
        Assert.Equal(400, ex.Error.StatusCode);
        Assert.Equal("Object tags cannot be greater than 10", ex.Message);
    }

    [Fact]
    public void FromHeader_TenTagsOfMaximumSize_Accepted()
    {
        var header = string.Join('&', Enumerable.Range(0, 10).Select(i => $"{i}{new string('k', 127)}={new string('v', 256)}"));

        var tags = S3TagSet.FromHeader(header);

        Assert.Equal(10, tags.Count);
        Assert.All(tags, t => Assert.Equal((128, 256), (t.Key.Length, t.Value.Length)));
    }
}
