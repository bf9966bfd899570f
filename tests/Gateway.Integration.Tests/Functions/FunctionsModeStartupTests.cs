using Gateway.TestSupport;

namespace Gateway.Integration.Tests.Functions;

/// <summary>How the worker starts in Functions mode, as the host starts it.</summary>
public sealed class FunctionsModeStartupTests
{
    /// <summary>
    /// Without PACHD_ADDRESS every scaled-out instance would start a private LocalPachd: the worker refuses to start
    /// and says why, and the host (emulator) reports the failure with the worker's exit code.
    /// </summary>
    [Fact]
    public async Task NoPachdAddress_WorkerRefusesToStart_SayingWhy()
    {
        var (app, emulator) = FunctionsHostFixture.BuildOutputs();
        var data = Path.Combine(Path.GetTempPath(), "gw-fh-refuse-" + Guid.NewGuid().ToString("N"));

        await using var host = ChildProcess.Start(
            "dotnet",
            [emulator, "--app", app, "--port", "0"],
            environment: [new("PACHD_ADDRESS", null), new("GATEWAY_FUNCTIONS_LOCALPACHD", null), new("GATEWAY_DATA_DIR", data)]);
        var exited = await host.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(exited, $"the emulator still runs after 2 minutes:{Environment.NewLine}{host.Output}");
        Assert.NotEqual(0, host.ExitCode);
        Assert.Contains("Functions mode needs PACHD_ADDRESS", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FunctionsHost listening on", host.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "no LocalPachd data directory may be created");
    }
}
