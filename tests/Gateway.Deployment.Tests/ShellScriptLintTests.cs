using System.ComponentModel;
using System.Text.RegularExpressions;
using Gateway.Deployment.Tests.Support;
using Gateway.TestSupport;

namespace Gateway.Deployment.Tests;

/// <summary>
/// Every shell script in the repository passes shellcheck (Debian's package; .ci/run and tests/run-all.sh install it):
/// the files git tracks or would add (<c>git ls-files</c>, so nothing ignored such as bin/, obj/ or node_modules/) that
/// end in .sh or start with an sh or bash shebang. Scripts sourced with a <c># shellcheck source=</c> directive are
/// followed. A missing shellcheck fails the test: CI must not pass by checking nothing.
/// </summary>
public sealed partial class ShellScriptLintTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ShellScripts_PassShellcheck()
    {
        var scripts = await ShellScriptsAsync();
        Assert.Contains(".ci/run", scripts);
        Assert.Contains("tests/run-all.sh", scripts);

        var (exit, output) = await RunAsync("shellcheck", ["--external-sources", "--format=gcc", "--", .. scripts]);

        Assert.True(
            exit == 0,
            $"shellcheck (exit status {exit}) on {scripts.Count} scripts; fix the code, or disable a false positive with a reason:{Environment.NewLine}{output}");
    }

    /// <summary>The repository's shell scripts, relative to its root with '/'.</summary>
    private static async Task<IReadOnlyList<string>> ShellScriptsAsync()
    {
        var (exit, output) = await RunAsync("git", ["-c", "core.quotePath=false", "ls-files", "--cached", "--others", "--exclude-standard"]);
        Assert.True(exit == 0, $"git ls-files failed (exit status {exit}):{Environment.NewLine}{output}");
        return output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj" or "node_modules"))
            .Where(path => File.Exists(Path.Combine(RepositoryLayout.Root, path)))
            .Where(path => path.EndsWith(".sh", StringComparison.Ordinal) || HasShellShebang(Path.Combine(RepositoryLayout.Root, path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool HasShellShebang(string path)
    {
        using var reader = new StreamReader(path);
        var head = new char[256];
        return ShellShebang().IsMatch(head.AsSpan(0, reader.ReadBlock(head)));
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> arguments)
    {
        ChildProcess run;
        try
        {
            run = ChildProcess.Start(program, arguments, workingDirectory: RepositoryLayout.Root);
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"cannot run {program} ({e.Message}): install it (Debian: apt-get install {program}; .ci/run and tests/run-all.sh do).");
            throw;
        }

        await using (run)
        {
            Assert.True(await run.WaitForExitAsync(_timeout), $"{program} ran for more than {_timeout.TotalMinutes} minutes:{Environment.NewLine}{run.Output}");
            return (run.ExitCode, run.Output);
        }
    }

    /// <summary>#!/bin/sh, #!/usr/bin/env bash, #! /bin/bash -e and the like.</summary>
    [GeneratedRegex(@"^#!\s*\S*/(env\s+(-\S+\s+)*)?(sh|bash|dash|ksh)(\s|$)")]
    private static partial Regex ShellShebang();
}
