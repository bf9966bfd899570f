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
    public void SingleApp_FunctionsNoRequestReaches_AreOnlyBuckets()
    {
        // The host tries {bucket}/{*key} before {bucket} (longer templates first) and the catch-all also matches an
        // empty key, so ObjectReads/ObjectWrites take /{bucket} and /{bucket}/, and Buckets never runs. That is why
        // main.bicep sends bucket-level requests by method, like object requests. When the package changes this (e.g.
        // Buckets starts to receive /{bucket}), this test fails: route bucket-level requests to the buckets app then.
        var all = HostRouting.PackageFunctions(RepositoryLayout.FunctionsOutput).Select(f => f.Name);

        var neverRun = all.Where(f => !fixture.Routes.ReachedInSingleApp.Contains(f)).Order(StringComparer.Ordinal);

        Assert.Equal(["Buckets"], neverRun);
    }
}
