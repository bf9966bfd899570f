using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>The Functions host's routing of the package's functions, as the route check uses it.</summary>
public sealed class HostRoutingTests
{
    [Theory]
    [InlineData("GET", "/", "Service")]
    [InlineData("PUT", "/", "Service")]
    [InlineData("GET", "/bucket", "Buckets")]
    [InlineData("PUT", "/bucket/", "Buckets")]
    [InlineData("HEAD", "/bucket/k", "ObjectReads")]
    [InlineData("POST", "/bucket", "Uploads")]
    [InlineData("GET", "/bucket/a/b", "ObjectReads")]
    [InlineData("DELETE", "/bucket/a", "ObjectWrites")]
    [InlineData("OPTIONS", "/bucket", "OtherMethods")]
    [InlineData("PATCH", "/bucket/a", "OtherMethods")]
    public async Task SingleApp_PicksTheHostsFunction(string method, string path, string function)
    {
        var functions = HostRouting.PackageFunctions(RepositoryLayout.FunctionsOutput);

        var picked = await HostRouting.For(RepositoryLayout.FunctionsOutput, functions).PickAsync(method, path);

        Assert.Equal(function, picked);
    }

    [Fact]
    public async Task AppWithoutService_AnswersTheRootWithTheHostHomepage()
    {
        var functions = HostRouting.PackageFunctions(RepositoryLayout.FunctionsOutput).Where(f => f.Name == "ObjectReads");

        var picked = await HostRouting.For(RepositoryLayout.FunctionsOutput, functions).PickAsync("GET", "/");

        Assert.Equal(HostRouting.Homepage, picked);
    }
}
