using System.Diagnostics;
using System.Text;

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
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { emulator, "--app", app, "--port", "0" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("PACHD_ADDRESS");
        info.Environment.Remove("GATEWAY_FUNCTIONS_LOCALPACHD");
        info.Environment["GATEWAY_DATA_DIR"] = data;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string text;
        lock (output)
        {
            text = output.ToString();
        }

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Functions mode needs PACHD_ADDRESS", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FunctionsHost listening on", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "no LocalPachd data directory may be created");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
