using Gateway.Core.Naming;

namespace Gateway.Core.Tests.Naming;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("a", "/a")]
    [InlineData("dir/a b.txt", "/dir/a b.txt")]
    [InlineData("dir/", "/dir/")]
    [InlineData("photo (1).jpg", "/photo '281'29.jpg")]
    [InlineData("café.txt", "/caf~C3~A9.txt")]
    [InlineData("it's", "/it'27s")]
    public void ToPath_Key_EncodedPathWithLeadingSlash(string key, string path) => Assert.Equal(path, ObjectKey.ToPath(key));

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("with space/and%percent")]
    [InlineData("dir/")]
    [InlineData("plus+sign=eq.txt")]
    [InlineData("photo (1).jpg")]
    [InlineData("mail@host.txt")]
    [InlineData("wow!.md")]
    [InlineData("café.txt")]
    [InlineData("br[1]{2}^*?\\|~\"'>")]
    [InlineData("emoji 😀/日本語")]
    [InlineData("a.b/.hidden/..x")]
    public void Check_AnyKeyS3Accepts_Null(string key) => Assert.Null(ObjectKey.Check(key));

    [Theory]
    [InlineData("tab\there", "control characters")]
    [InlineData("nul\0", "control characters")]
    [InlineData("a/./b", "'.' or '..'")]
    [InlineData("../up", "'.' or '..'")]
    [InlineData("a/..", "'.' or '..'")]
    [InlineData("/lead", "'//'")]
    [InlineData("a//b", "'//'")]
    [InlineData("/", "'//'")]
    [InlineData("", "empty")]
    public void Check_KeyPfsCannotRepresent_InvalidArgumentNamingTheRule(string key, string fragment)
    {
        var refused = ObjectKey.Check(key);

        Assert.NotNull(refused);
        Assert.Equal("InvalidArgument", refused.Error.Code);
        Assert.Contains(fragment, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KeyOver1024Bytes_KeyTooLongError()
    {
        Assert.Null(ObjectKey.Check(new string('é', 512)));
        Assert.Equal("KeyTooLongError", ObjectKey.Check(new string('é', 513))!.Error.Code);
    }

    [Theory]
    [InlineData("it's.txt", "/it's.txt")]
    [InlineData("a~b", "/a~b")]
    [InlineData("back\\slash", "/back\\slash")]
    [InlineData("plain", null)]
    [InlineData("a(b)", null)]
    [InlineData("café", null)]
    [InlineData("a'27", null)]
    public void LiteralAlias_NamesWrittenByOtherMeans(string key, string? alias) => Assert.Equal(alias, ObjectKey.LiteralAlias(key));

    [Theory]
    [InlineData("/it's.txt", "it's.txt")]
    [InlineData("/it'27s.txt", "it's.txt")]
    [InlineData("/caf~C3~A9", "café")]
    [InlineData("/bad~FF", "bad~FF")]
    [InlineData("/dir/sub/", "dir/sub/")]
    public void FromPath_StoredPath_Key(string path, string key) => Assert.Equal(key, ObjectKey.FromPath(path));
}
