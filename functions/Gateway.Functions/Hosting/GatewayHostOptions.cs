namespace Gateway.Functions.Hosting;

/// <summary>
/// Settings of the executable. Bound from configuration section <c>Gateway</c> (appsettings.json, or
/// environment variables such as <c>Gateway__Port</c>); the flat variables listed on each property are aliases.
/// </summary>
public sealed class GatewayHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>
    /// TCP port of the standalone S3 endpoint (all interfaces). Default: 30600. Ignored when <c>urls</c> /
    /// <c>ASPNETCORE_URLS</c> is set. Alias: <c>GATEWAY_PORT</c>.
    /// </summary>
    public int Port { get; set; } = 30600;

    /// <summary>
    /// pachd's gRPC address (<c>http://host:port</c>, <c>grpc://host:port</c> or <c>host:port</c>). Default: null,
    /// which starts LocalPachd inside this process. Alias: <c>PACHD_ADDRESS</c>.
    /// </summary>
    public string? PachdAddress { get; set; }

    /// <summary>
    /// Where the embedded LocalPachd keeps its data when <see cref="PachdAddress"/> is not set. Default:
    /// <c>.data/localpachd</c> under the current directory. Alias: <c>GATEWAY_DATA_DIR</c>.
    /// </summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "localpachd");

    /// <summary>Loopback port of the embedded LocalPachd's gRPC endpoint. Default: 0 (any free port). Alias: <c>GATEWAY_LOCALPACHD_PORT</c>.</summary>
    public int LocalPachdPort { get; set; }
}
