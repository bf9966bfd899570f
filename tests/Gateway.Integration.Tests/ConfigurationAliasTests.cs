extern alias functions;

using Gateway.Core;
using Microsoft.Extensions.Configuration;
using ConfigurationAliases = functions::Gateway.Functions.Hosting.ConfigurationAliases;

namespace Gateway.Integration.Tests;

public sealed class ConfigurationAliasTests
{
    public static TheoryData<string> Aliases() => [.. ConfigurationAliases.Map.Select(m => m.Variable)];

    /// <summary>Every flat variable the README documents reaches a key that some options class binds.</summary>
    [Theory]
    [MemberData(nameof(Aliases))]
    public void Map_EveryAlias_TargetsABoundSetting(string variable)
    {
        var key = ConfigurationAliases.Map.Single(m => m.Variable == variable).Key;
        var (section, property) = (key.Split(':')[0], key.Split(':')[1]);
        var options = section switch
        {
            "Gateway" => new[] { typeof(GatewayOptions), typeof(functions::Gateway.Functions.Hosting.GatewayHostOptions) },
            "S3" => [typeof(Gateway.S3.S3ProtocolOptions)],
            _ => [],
        };

        Assert.Contains(options, type => type.GetProperty(property) is { CanWrite: true });
    }

    [Fact]
    public void Apply_GatewayRegion_IsTheLocationGetBucketLocationReports()
    {
        var variable = "GATEWAY_REGION";
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "eu-north-1");
        try
        {
            var builder = new ConfigurationBuilder();
            ConfigurationAliases.Apply(builder);
            var options = builder.Build().GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()!;

            Assert.Equal("eu-north-1", options.Location);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }
}
