using System.Text.Json;

namespace Gateway.Integration.Tests;

/// <summary>
/// Functions mode cannot run here (no Functions host); this checks what the host would load from the build
/// output: functions.metadata with one HTTP function per operation group, and the linked host.json.
/// </summary>
public sealed class FunctionsBuildOutputTests
{
    private static string OutputDirectory()
    {
        var testDir = AppContext.BaseDirectory;
        var dir = new DirectoryInfo(testDir);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);

        // tests/<project>/bin/<Configuration>/<tfm>/ → functions/Gateway.Functions/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(testDir.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var configuration = new DirectoryInfo(testDir.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(dir.FullName, "functions", "Gateway.Functions", "bin", configuration, tfm);
    }

    [Fact]
    public void FunctionsMetadata_OneHttpFunctionPerGroup_WithRoutes()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory(), "functions.metadata")));
        var functions = doc.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings")[0]);

        var expected = new Dictionary<string, (string Route, string[]? Methods)>
        {
            ["Service"] = ("{root:maxlength(0)?}", null),
            ["Buckets"] = ("{bucket}", ["get", "head", "put", "delete"]),
            ["ObjectReads"] = ("{bucket}/{*key:minlength(1)}", ["get", "head"]),
            ["ObjectWrites"] = ("{bucket}/{*key:minlength(1)}", ["put", "delete"]),
            ["Uploads"] = ("{bucket}/{*key}", ["post"]),
            ["OtherMethods"] = ("{bucket}/{*key}", ["options", "patch"]),
        };
        Assert.Equal(expected.Keys.Order(), functions.Keys.Order());
        foreach (var (name, (route, methods)) in expected)
        {
            var binding = functions[name];
            Assert.Equal("httpTrigger", binding.GetProperty("type").GetString());
            Assert.Equal(route, binding.GetProperty("route").GetString());
            var declared = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(v => v.GetString()!).ToArray()
                : null;
            Assert.Equal(methods, declared);
            Assert.Equal("Anonymous", binding.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public void HostJson_Linked_EmptyRoutePrefix()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory(), "host.json")));
        Assert.Equal("2.0", doc.RootElement.GetProperty("version").GetString());
        Assert.Equal(string.Empty, doc.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }
}
