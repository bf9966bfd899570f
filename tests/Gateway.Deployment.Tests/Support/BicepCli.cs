using System.Diagnostics;
using System.Reflection;

namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a native binary in the package's tools/
/// folder). The project's build writes its path, from the package's BicepPath property, into this assembly's metadata.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(3);

    /// <summary>The binary, or a failed assertion that says why there is none.</summary>
    public static string Path
    {
        get
        {
            var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
            Assert.False(string.IsNullOrEmpty(path), "The test assembly carries no BicepPath: the package Azure.Bicep.CommandLine.linux-x64 was not restored.");
            Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}: restore the test project.");
            return path;
        }
    }

    /// <summary>Runs bicep with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static async Task<BicepResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No telemetry, no update check: CI has no network but the package registries.
        info.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(_timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bicep {string.Join(' ', arguments)} did not finish within {_timeout.TotalSeconds:F0} s");
        }

        return new BicepResult(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What one bicep run printed.</summary>
internal sealed record BicepResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>
    /// Diagnostics are lines "path(line,col) : Level CODE: message" on standard error; with bicepconfig.json making
    /// every linter rule an error and this check refusing warnings too, any diagnostic at all is a failure.
    /// </summary>
    public IReadOnlyList<string> Diagnostics => StandardError
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.Contains(" : Error ", StringComparison.Ordinal)
            || line.Contains(" : Warning ", StringComparison.Ordinal)
            || line.Contains(" : Info ", StringComparison.Ordinal))
        .ToList();

    /// <summary>Fails unless the run succeeded and printed no diagnostic and nothing else on standard error.</summary>
    public void AssertClean()
    {
        Assert.True(
            ExitCode == 0 && StandardError.Trim().Length == 0,
            $"bicep {Command} exited with {ExitCode}:{Environment.NewLine}{StandardError}");
    }
}
