using System.Text.Json;
using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>
/// infra/azure compiles and lints without a single diagnostic, for the template, its modules and every example
/// parameter file (one per deployment mode); bicepconfig.json makes every linter rule an error, and warnings of the
/// compiler fail here too.
/// </summary>
public sealed class BicepTemplateTests
{
    public static TheoryData<string> BicepFiles() =>
        [.. Directory.EnumerateFiles(RepositoryLayout.AzureInfrastructure, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".bicep", StringComparison.Ordinal) || f.EndsWith(".bicepparam", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryLayout.AzureInfrastructure, f))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> ParameterFiles() =>
        [.. Directory.EnumerateFiles(RepositoryLayout.AzureInfrastructure, "*.bicepparam")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Build_MainTemplate_CompilesToArmWithoutDiagnostics()
    {
        var result = await BicepCli.RunAsync(RepositoryLayout.AzureInfrastructure, "build", "main.bicep", "--stdout");

        result.AssertClean();
        using var template = JsonDocument.Parse(result.StandardOutput);
        Assert.Contains("deploymentTemplate.json", template.RootElement.GetProperty("$schema").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Lint_BicepFile_NoFindings(string file)
    {
        var result = await BicepCli.RunAsync(RepositoryLayout.AzureInfrastructure, "lint", file);

        result.AssertClean();
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Format_BicepFile_IsAsBicepFormatWritesIt(string file)
    {
        var copy = Directory.CreateTempSubdirectory("gw-bicep-format-").FullName;
        try
        {
            var source = Path.Combine(RepositoryLayout.AzureInfrastructure, file);
            var formatted = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(source, formatted);

            var result = await BicepCli.RunAsync(copy, "format", Path.GetFileName(file));

            result.AssertClean();
            Assert.True(
                await File.ReadAllTextAsync(source) == await File.ReadAllTextAsync(formatted),
                $"{file} is not formatted: run bicep format on it");
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ParameterFiles))]
    public async Task BuildParams_ExampleParameterFile_CompilesWithoutDiagnostics(string file)
    {
        var result = await BicepCli.RunAsync(RepositoryLayout.AzureInfrastructure, "build-params", file, "--stdout");

        result.AssertClean();
        using var output = JsonDocument.Parse(result.StandardOutput);
        Assert.True(output.RootElement.TryGetProperty("parametersJson", out _), $"build-params {file} printed no parametersJson");
    }

    [Fact]
    public void ExampleParameterFiles_CoverBothModes()
    {
        var modes = Directory.EnumerateFiles(RepositoryLayout.AzureInfrastructure, "*.bicepparam")
            .Select(f => File.ReadAllLines(f).Select(l => l.Trim()).Single(l => l.StartsWith("param deploymentMode", StringComparison.Ordinal)))
            .Select(l => l.Split('\'')[1])
            .Order(StringComparer.Ordinal);

        Assert.Equal(["perGroup", "single"], modes);
    }

    [Fact]
    public async Task Lint_LinterFinding_IsAnErrorUnderTheProjectsConfig()
    {
        // A copy of infra/azure (its bicepconfig.json included) plus a file with an unused parameter.
        var copy = Directory.CreateTempSubdirectory("gw-bicep-lint-").FullName;
        try
        {
            File.Copy(Path.Combine(RepositoryLayout.AzureInfrastructure, "bicepconfig.json"), Path.Combine(copy, "bicepconfig.json"));
            await File.WriteAllTextAsync(Path.Combine(copy, "finding.bicep"), "param unused string\n");

            var result = await BicepCli.RunAsync(copy, "lint", "finding.bicep");

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(result.Diagnostics, d => d.Contains("Error no-unused-params", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
