namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// Where this test run finds the repository's files: the Bicep under infra/azure and the build output of
/// Gateway.Functions of the same configuration as this test assembly (the tests build nothing).
/// </summary>
internal static class RepositoryLayout
{
    /// <summary>The directory holding Gateway.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>infra/azure.</summary>
    public static string AzureInfrastructure => Path.Combine(Root, "infra", "azure");

    /// <summary>functions/Gateway.Functions/bin/&lt;Configuration&gt;/&lt;tfm&gt;, matching this test assembly's.</summary>
    public static string FunctionsOutput
    {
        get
        {
            // tests/<project>/bin/<Configuration>/<tfm>/
            var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = testDirectory.Name;
            var configuration = testDirectory.Parent!.Name;
            var output = Path.Combine(Root, "functions", "Gateway.Functions", "bin", configuration, tfm);
            Assert.True(
                File.Exists(Path.Combine(output, "functions.metadata")),
                $"No functions.metadata in {output}: build functions/Gateway.Functions in {configuration} first (the solution build does).");
            return output;
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gateway.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return directory.FullName;
    }
}
