using Gateway.Deployment.Tests.Support;
using Gateway.TestSupport;

namespace Gateway.Deployment.Tests;

/// <summary>
/// The offline checks of the container images and Kubernetes manifests, run as part of the suite so that CI runs them:
/// infra/docker/check-publish.sh (each Dockerfile's publish against what its final stage copies and starts),
/// infra/docker/lint-dockerfiles.sh (the Dockerfiles through a pinned linter, with its self-test) and
/// infra/kubernetes/check.sh (every kustomize rendering against the Kubernetes types and the gateway's contract, with
/// its self-test). None needs Docker or a cluster; the last two need node and npm.
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
    public async Task Dockerfiles_PassTheLinter()
    {
        var (exit, output) = await RunAsync("infra/docker/lint-dockerfiles.sh");

        Assert.True(exit == 0, output);
        Assert.Contains("self-test: the broken Dockerfile drew", output, StringComparison.Ordinal);
        Assert.Contains("ok infra/docker/gateway.Dockerfile", output, StringComparison.Ordinal);
        Assert.Contains("ok infra/docker/localpachd.Dockerfile", output, StringComparison.Ordinal);
        Assert.Contains("infra/docker: all Dockerfiles lint clean", output, StringComparison.Ordinal);
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
        await using var run = ChildProcess.Start("bash", [Path.Combine(RepositoryLayout.Root, script)], workingDirectory: RepositoryLayout.Root);
        if (!await run.WaitForExitAsync(TimeSpan.FromMinutes(10)))
        {
            throw new TimeoutException($"{script} ran for more than 10 minutes:{Environment.NewLine}{run.Output}");
        }

        return (run.ExitCode, run.Output);
    }
}
