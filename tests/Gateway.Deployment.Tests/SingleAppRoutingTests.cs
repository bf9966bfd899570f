using Gateway.Deployment.Tests.Support;

namespace Gateway.Deployment.Tests;

/// <summary>
/// What a single app with every function does with the route check's requests; the Front Door rules follow it.
/// </summary>
[Collection(DeploymentCollection.Name)]
public sealed class SingleAppRoutingTests(DeploymentFixture fixture)
{
    [Fact]
    public void SingleApp_ServesEveryRequest()
    {
        var unserved = fixture.Routes.Requests.Where(r => r.SingleAppFunction is null || r.SingleAppFunction == HostRouting.Homepage).Select(r => r.ToString()).Distinct().ToList();

        Assert.True(unserved.Count == 0, string.Join(Environment.NewLine, unserved.Take(40)));
    }

    [Fact]
    public void SingleApp_EveryFunctionReceivesRequests()
    {
        // ObjectReads and ObjectWrites require a key ({*key:minlength(1)}), so the host gives /{bucket} and /{bucket}/
        // to Buckets although it tries {bucket}/{*key} first; main.bicep's Front Door rules rely on that. If a package
        // change leaves a function unreached, this fails.
        var all = HostRouting.PackageFunctions(RepositoryLayout.FunctionsOutput).Select(f => f.Name);

        var neverRun = all.Where(f => !fixture.Routes.ReachedInSingleApp.Contains(f)).Order(StringComparer.Ordinal);

        Assert.Empty(neverRun);
    }
}
