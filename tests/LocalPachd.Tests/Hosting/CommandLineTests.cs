using LocalPachd.Hosting;

namespace LocalPachd.Tests.Hosting;

public sealed class CommandLineTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => Array.Find(variables, v => v.Name == name).Value;

    [Fact]
    public void Parse_Nothing_DefaultsToFullSynchronous()
    {
        var options = CommandLine.Parse([], Environment())!;
        Assert.Equal(MetadataSynchronous.Full, options.Synchronous);
        Assert.Equal(30650, options.Port);
        Assert.Equal(4 * 1024 * 1024, options.ChunkSize);
    }

    [Theory]
    [InlineData("normal", MetadataSynchronous.Normal)]
    [InlineData("NORMAL", MetadataSynchronous.Normal)]
    [InlineData("full", MetadataSynchronous.Full)]
    public void Parse_SynchronousEnvironment_Binds(string value, MetadataSynchronous expected)
    {
        var options = CommandLine.Parse([], Environment(("LOCALPACHD_SYNCHRONOUS", value)))!;
        Assert.Equal(expected, options.Synchronous);
    }

    [Fact]
    public void Parse_ArgumentsOverrideEnvironment()
    {
        var options = CommandLine.Parse(
            ["--synchronous", "full", "--port", "0", "--data", "/d", "--chunk-size", "65536", "--verbose"],
            Environment(("LOCALPACHD_SYNCHRONOUS", "normal"), ("LOCALPACHD_PORT", "1234"), ("LOCALPACHD_DATA", "/e")))!;
        Assert.Equal(MetadataSynchronous.Full, options.Synchronous);
        Assert.Equal(0, options.Port);
        Assert.Equal("/d", options.DataDirectory);
        Assert.Equal(65536, options.ChunkSize);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, options.MinimumLogLevel);
    }

    [Theory]
    [InlineData("--synchronous", "off")]
    [InlineData("--port", "http")]
    [InlineData("--chunk-size", "12")]
    [InlineData("--unknown", "x")]
    [InlineData("--data")]
    public void Parse_BadArgument_ReturnsNull(params string[] args) =>
        Assert.Null(CommandLine.Parse(args, Environment()));

    [Fact]
    public void Parse_BadSynchronousEnvironment_ReturnsNull() =>
        Assert.Null(CommandLine.Parse([], Environment(("LOCALPACHD_SYNCHRONOUS", "extra"))));
}
