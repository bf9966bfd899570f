using System.Diagnostics;
using System.Text;
using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>
/// The offline checks of the container images and Kubernetes manifests, run as part of the suite so that CI runs them:
/// infra/docker/check-publish.sh (each Dockerfile's publish against what its final stage copies and starts) and
/// infra/kubernetes/check.sh (every kustomize rendering against the Kubernetes types and the gateway's contract, with
/// its self-test). Neither needs Docker or a cluster; check.sh needs node and npm.
/// </summary>
public sealed class InfraCheckScriptTests
{
    [Fact]
    public async Task DockerImages_CopyExactlyWhatPublishProduces()
    {
        var (exit, output) = await RunAsync("infra/docker/check-publish.sh");

        Assert.True(exit == 0, output);
        Assert.Contains("== gateway", output, StringComparison.Ordinal);
        Assert.Contains("== localpachd", output, StringComparison.Ordinal);
        Assert.DoesNotContain("failure(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesRenderings_AreValid()
    {
        var (exit, output) = await RunAsync("infra/kubernetes/check.sh");

        Assert.True(exit == 0, output);
        Assert.Contains("infra/kubernetes: all renderings valid", output, StringComparison.Ordinal);
        Assert.Contains("self-test:", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string script)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryLayout.Root, script));
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran for more than 10 minutes:{Environment.NewLine}{Text(output)}");
        }

        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
