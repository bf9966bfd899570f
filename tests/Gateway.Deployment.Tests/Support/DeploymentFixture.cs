namespace Gateway.Deployment.Tests.Support;

/// <summary>
/// The predicted deployments of both example parameter files, and the route check of the per-group one, made once for
/// every test of the <see cref="DeploymentCollection"/>.
/// </summary>
public sealed class DeploymentFixture : IAsyncLifetime
{
    /// <summary>Example parameters of the single-app mode.</summary>
    public const string SingleParameters = "main.single.bicepparam";

    /// <summary>Example parameters of the per-group mode.</summary>
    public const string PerGroupParameters = "main.perGroup.bicepparam";

    internal DeploymentSnapshot Single { get; private set; } = null!;

    internal DeploymentSnapshot PerGroup { get; private set; } = null!;

    internal RouteCheck Routes { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var single = DeploymentSnapshot.CreateAsync(SingleParameters);
        var perGroup = DeploymentSnapshot.CreateAsync(PerGroupParameters);
        Single = await single;
        PerGroup = await perGroup;
        Routes = await RouteCheck.RunAsync(PerGroup, RepositoryLayout.FunctionsOutput);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Tests that share one <see cref="DeploymentFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class DeploymentCollection : ICollectionFixture<DeploymentFixture>
{
    public const string Name = "Deployment";
}
