using Gateway.Pachyderm.Client;
using Xunit;

namespace Gateway.Pachyderm.Tests.Client;

public sealed class PachAddressTests
{
    [Theory]
    [InlineData("http://localhost:30650", "http://localhost:30650/")]
    [InlineData("https://pachd.example.com:443", "https://pachd.example.com/")]
    [InlineData("grpc://localhost:30650", "http://localhost:30650/")]
    [InlineData("GRPC://pachd:1650", "http://pachd:1650/")]
    [InlineData("grpcs://pachd.example.com:31400", "https://pachd.example.com:31400/")]
    [InlineData("localhost:30650", "http://localhost:30650/")]
    [InlineData("127.0.0.1:1650", "http://127.0.0.1:1650/")]
    [InlineData("  pachd:1650  ", "http://pachd:1650/")]
    [InlineData("[::1]:1650", "http://[::1]:1650/")]
    public void Parse_PachctlForms_HttpUri(string address, string expected) =>
        Assert.Equal(new Uri(expected), PachAddress.Parse(address));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("unix:///var/run/pachd.sock")]
    [InlineData("ftp://pachd:21")]
    public void Parse_Unsupported_Throws(string address) =>
        Assert.ThrowsAny<ArgumentException>(() => PachAddress.Parse(address));

    [Fact]
    public void Create_GrpcAddress_ChannelTargetsHttp()
    {
        using var client = PachClient.Create("grpc://localhost:30650");

        Assert.Equal(new Uri("http://localhost:30650/"), client.Address);
    }

    [Fact]
    public void Create_ChunkLargerThanMessageLimit_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PachClient.Create(new PachClientOptions
        {
            Address = "localhost:1650",
            AddFileChunkSize = 32 * 1024 * 1024,
        }));
}
