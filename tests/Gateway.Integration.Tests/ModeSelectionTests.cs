extern alias functions;

using GatewayHost = functions::Gateway.Functions.Hosting.GatewayHost;

namespace Gateway.Integration.Tests;

public sealed class ModeSelectionTests
{
    [Theory]
    [InlineData(new string[0], null, false)]
    [InlineData(new[] { "--functions-uri", "http://127.0.0.1:7071/" }, null, true)]
    [InlineData(new[] { "--functions-uri=http://127.0.0.1:7071/" }, null, true)]
    [InlineData(new[] { "--host", "127.0.0.1" }, null, true)]
    [InlineData(new string[0], "functions", true)]
    [InlineData(new string[0], "Functions", true)]
    [InlineData(new[] { "--functions-uri", "http://127.0.0.1:7071/" }, "standalone", false)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:0" }, "", false)]
    public void IsFunctionsMode_ArgsAndVariable_PicksHost(string[] args, string? mode, bool functionsMode) =>
        Assert.Equal(functionsMode, GatewayHost.IsFunctionsMode(args, mode));
}
