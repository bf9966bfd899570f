using Gateway.Core.Naming;

namespace Gateway.Core.Tests.Naming;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("a", "/a")]
    [InlineData("dir/a b.txt", "/dir/a b.txt")]
    [InlineData("a//b", "/a/b")]
    [InlineData("/lead", "/lead")]
    [InlineData("dir/", "/dir/")]
    public void ToPath_Key_LeadingSlashAndCollapsedRuns(string key, string path) => Assert.Equal(path, ObjectKey.ToPath(key));

    [Theory]
    [InlineData("plain.txt")]
    [InlineData("with space/and%percent")]
    [InlineData("a//b")]
    [InlineData("dir/")]
    [InlineData("~tilde-_=,;'&$#")]
    public void Validate_StorableKey_Null(string key) => Assert.Null(ObjectKey.Validate(key));

    [Theory]
    [InlineData("caf\u00e9", "printable ASCII")]
    [InlineData("tab\there", "printable ASCII")]
    [InlineData("a+b", "'+'")]
    [InlineData("star*", "'*'")]
    [InlineData("q?", "'?'")]
    [InlineData("br[1]", "'['")]
    [InlineData("back\\slash", "'\\'")]
    [InlineData("a/./b", "'.' or '..'")]
    [InlineData("../up", "'.' or '..'")]
    [InlineData("/", "root")]
    public void Validate_KeyPfsCannotHold_NamesTheRestriction(string key, string fragment)
    {
        var why = ObjectKey.Validate(key);
        Assert.NotNull(why);
        Assert.Contains(fragment, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyOver1024Bytes_Refused() => Assert.NotNull(ObjectKey.Validate(new string('k', 1025)));
}
