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
    /// Deadline of each unary pachd call, in seconds (<see cref="Gateway.Pachyderm.PachClientOptions.CallTimeout"/>): a
    /// pachd that does not answer in time makes the request a 503 ServiceUnavailable instead of holding it. Default:
    /// 30. 0: no deadline. Alias: <c>GATEWAY_PACHD_TIMEOUT_SECONDS</c>.
    /// </summary>
    public double PachdTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long a pachd stream (an object's upload or download, a listing) may wait on pachd for one step, in seconds
    /// (<see cref="Gateway.Pachyderm.PachClientOptions.StreamIdleTimeout"/>); no total limit, so big transfers run as
    /// long as they move. Default: 30. 0: no limit. Alias: <c>GATEWAY_PACHD_IDLE_SECONDS</c>.
    /// </summary>
    public double PachdIdleTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long opening a connection to pachd may take, in seconds
    /// (<see cref="Gateway.Pachyderm.PachClientOptions.ConnectTimeout"/>). Default: 5. 0: no limit (the OS's).
    /// Alias: <c>GATEWAY_PACHD_CONNECT_SECONDS</c>.
    /// </summary>
    public double PachdConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Where the embedded LocalPachd keeps its data when <see cref="PachdAddress"/> is not set. Default:
    /// <c>.data/localpachd</c> under the current directory. Alias: <c>GATEWAY_DATA_DIR</c>.
    /// </summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "localpachd");

    /// <summary>Loopback port of the embedded LocalPachd's gRPC endpoint. Default: 0 (any free port). Alias: <c>GATEWAY_LOCALPACHD_PORT</c>.</summary>
    public int LocalPachdPort { get; set; }

    /// <summary>
    /// When set, the embedded LocalPachd runs with auth active and this root token (activated on first start; a later
    /// start on the same data checks that the token still is the root's). Default: null (auth off). Clients then sign
    /// with the token (or a robot token) as access key and secret. Alias: <c>GATEWAY_LOCALPACHD_ROOT_TOKEN</c>.
    /// </summary>
    public string? LocalPachdRootToken { get; set; }

    /// <summary>
    /// The embedded LocalPachd's metadata durability: <c>Full</c> (the default; an acknowledged write survives a power
    /// loss) or <c>Normal</c> (faster small commits; survives a process crash only). Alias:
    /// <c>GATEWAY_LOCALPACHD_SYNCHRONOUS</c>. See infra/LocalPachd/README.md "Durability".
    /// </summary>
    public LocalPachd.MetadataSynchronous LocalPachdSynchronous { get; set; } = LocalPachd.MetadataSynchronous.Full;

    /// <summary>
    /// PEM certificate file for https. Default: null (no https). When set, the standalone host also serves https on
    /// <see cref="TlsPort"/> (HTTP/1.1) with this certificate; plain http stays on <see cref="Port"/>. An https
    /// address given through <c>urls</c> / <c>ASPNETCORE_URLS</c> uses it too. Only the first certificate of the
    /// file is served (no chain). Alias: <c>GATEWAY_TLS_CERT</c>.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>
    /// PEM private key file (PKCS#8 or PKCS#1/SEC1, unencrypted) for <see cref="TlsCertificatePath"/>. Default: null,
    /// which reads the key from the certificate file. Alias: <c>GATEWAY_TLS_KEY</c>.
    /// </summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>
    /// TCP port of the https endpoint (all interfaces) when <see cref="TlsCertificatePath"/> is set. Default: 30601.
    /// Must differ from <see cref="Port"/>. Ignored when <c>urls</c> / <c>ASPNETCORE_URLS</c> is set.
    /// Alias: <c>GATEWAY_TLS_PORT</c>.
    /// </summary>
    public int TlsPort { get; set; } = 30601;

    /// <summary>
    /// Functions mode only, for development (<c>func start</c>, the host emulator): start the embedded LocalPachd when
    /// <see cref="PachdAddress"/> is not set. Default: false, so a function app without <c>PACHD_ADDRESS</c> refuses to
    /// start instead of giving every scaled-out instance its own private store. Alias: <c>GATEWAY_FUNCTIONS_LOCALPACHD</c>.
    /// </summary>
    public bool FunctionsLocalPachd { get; set; }

    /// <summary>
    /// Standalone host: how long a shutdown (SIGTERM, Ctrl+C) waits for requests in flight to finish after the host
    /// stopped accepting connections and readiness turned to 503; what is still running then is cut off. Default: 25
    /// seconds, inside Kubernetes' default 30 s termination grace period. Alias: <c>GATEWAY_SHUTDOWN_SECONDS</c>.
    /// </summary>
    public double ShutdownSeconds { get; set; } = 25;

    /// <summary>
    /// Standalone host: serve the OpenTelemetry metrics in Prometheus' text format at <c>/~/metrics</c>
    /// (<see cref="Observability"/>). Default: true. Alias: <c>GATEWAY_METRICS</c>.
    /// </summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// Standalone host: <c>simple</c> (the default; human-readable, two lines per event) or <c>json</c> (one JSON
    /// object per line, for log collectors; the access line of each request carries its fields as properties). Alias:
    /// <c>GATEWAY_LOG_FORMAT</c>.
    /// </summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary>
    /// Standalone host: the reverse proxies (addresses or CIDR networks, comma-separated) whose
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (<see cref="ForwardedClients"/>), so that the
    /// per-client limit on failed authentications counts each client behind them apart. Default: none (the headers
    /// are ignored: anyone could send them). Alias: <c>GATEWAY_TRUSTED_PROXIES</c>.
    /// </summary>
    public string? TrustedProxies { get; set; }

    /// <summary>
    /// Seconds of quiet after which the process gives memory back to the system (<see cref="IdleMemoryRelease"/>).
    /// Default: 2. 0: never. Alias: <c>GATEWAY_IDLE_RELEASE_SECONDS</c>.
    /// </summary>
    public double IdleReleaseSeconds { get; set; } = 2;

    /// <summary>Bytes the process must have allocated since the last release before the next one. Default: 32 MiB.</summary>
    public long IdleReleaseMinimumBytes { get; set; } = 32L << 20;
}
