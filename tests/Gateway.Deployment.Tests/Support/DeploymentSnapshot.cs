using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// What a deployment of infra/azure/main.bicep with one of its example parameter files would create, as
/// <c>bicep snapshot</c> predicts it: the compiled template evaluated with the parameters into concrete resources
/// (values only known once deployed, such as an app's host name, stay ARM expressions).
/// </summary>
internal sealed partial class DeploymentSnapshot
{
    private const string _subscription = "00000000-0000-0000-0000-000000000000";
    private static readonly JsonDocumentOptions _jsonOptions = new() { AllowTrailingCommas = true };

    private DeploymentSnapshot(IReadOnlyList<JsonElement> resources) => Resources = resources;

    /// <summary>Every predicted resource (type, name, properties...).</summary>
    public IReadOnlyList<JsonElement> Resources { get; }

    /// <summary>The function apps, by name.</summary>
    public IReadOnlyDictionary<string, FunctionApp> Apps => OfType("Microsoft.Web/sites")
        .Select(FunctionApp.From)
        .ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Resources of one type.</summary>
    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs <c>bicep snapshot</c> for <paramref name="parameterFile"/> on a copy of infra/azure.</summary>
    public static async Task<DeploymentSnapshot> CreateAsync(string parameterFile)
    {
        // The snapshot is written beside the parameter file: work on a copy so the tests never write into the repository.
        var copy = Directory.CreateTempSubdirectory("gw-bicep-").FullName;
        try
        {
            CopyDirectory(RepositoryLayout.AzureInfrastructure, copy);
            var result = await BicepCli.RunAsync(
                copy,
                "snapshot",
                parameterFile,
                "--subscription-id",
                _subscription,
                "--resource-group",
                "rg-gateway",
                "--location",
                "westeurope");
            result.AssertClean();

            var snapshotFile = Path.Combine(copy, Path.ChangeExtension(parameterFile, ".snapshot.json"));
            Assert.True(File.Exists(snapshotFile), $"bicep snapshot wrote no {snapshotFile}");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(snapshotFile), _jsonOptions);
            var diagnostics = document.RootElement.GetProperty("diagnostics");
            Assert.True(diagnostics.GetArrayLength() == 0, $"bicep snapshot {parameterFile} reports: {diagnostics}");
            var resources = document.RootElement.GetProperty("predictedResources").EnumerateArray().Select(r => r.Clone()).ToList();
            return new DeploymentSnapshot(resources);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>The last segment of a resource ID or name ("profile/og-reads" → "og-reads").</summary>
    public static string LastSegment(string idOrName) => idOrName[(idOrName.LastIndexOf('/') + 1)..];

    /// <summary>The site an ARM expression like <c>reference('.../Microsoft.Web/sites/NAME', ...)</c> refers to.</summary>
    public static string ReferencedSite(string expression)
    {
        var match = SiteReference().Match(expression);
        Assert.True(match.Success, $"expected a reference to a Microsoft.Web/sites resource, got {expression}");
        return match.Groups[1].Value;
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }

    [GeneratedRegex(@"Microsoft\.Web/sites/([^/']+)'", RegexOptions.IgnoreCase)]
    private static partial Regex SiteReference();
}

/// <summary>A predicted Microsoft.Web/sites resource.</summary>
internal sealed partial record FunctionApp(string Name, IReadOnlyDictionary<string, string> AppSettings, JsonElement Properties)
{
    /// <summary>The functions the app disables with AzureWebJobs.&lt;name&gt;.Disabled=true.</summary>
    public IReadOnlySet<string> DisabledFunctions => AppSettings
        .Select(s => (Match: DisabledSetting().Match(s.Key), s.Value))
        .Where(s => s.Match.Success && string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase))
        .Select(s => s.Match.Groups[1].Value)
        .ToHashSet(StringComparer.Ordinal);

    public static FunctionApp From(JsonElement site)
    {
        var properties = site.GetProperty("properties");
        var settings = properties.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!, StringComparer.OrdinalIgnoreCase);
        return new FunctionApp(DeploymentSnapshot.LastSegment(site.GetProperty("name").GetString()!), settings, properties);
    }

    [GeneratedRegex(@"^AzureWebJobs\.(.+)\.Disabled$", RegexOptions.IgnoreCase)]
    private static partial Regex DisabledSetting();
}
