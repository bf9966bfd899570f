using Microsoft.Extensions.Configuration;

namespace Gateway.Functions.Hosting;

/// <summary>
/// Flat environment variables that deployments set (PACHD_ADDRESS, GATEWAY_PORT, ...) mapped onto the
/// configuration keys the options bind from. Applied last, so they win over appsettings.json.
/// </summary>
internal static class ConfigurationAliases
{
    /// <summary>Environment variable → configuration key.</summary>
    internal static readonly (string Variable, string Key)[] Map =
    [
        ("PACHD_ADDRESS", "Gateway:PachdAddress"),
        ("GATEWAY_PORT", "Gateway:Port"),
        ("GATEWAY_DATA_DIR", "Gateway:DataDirectory"),
        ("GATEWAY_LOCALPACHD_PORT", "Gateway:LocalPachdPort"),
        ("GATEWAY_LOCALPACHD_ROOT_TOKEN", "Gateway:LocalPachdRootToken"),
        ("GATEWAY_LOCALPACHD_SYNCHRONOUS", "Gateway:LocalPachdSynchronous"),
        ("GATEWAY_AUTH_CACHE_SECONDS", "Gateway:AuthCacheSeconds"),
        ("GATEWAY_AUTH_MODE_CACHE_SECONDS", "Gateway:AuthModeCacheSeconds"),
        ("GATEWAY_PACHD_TIMEOUT_SECONDS", "Gateway:PachdTimeoutSeconds"),
        ("GATEWAY_PACHD_IDLE_SECONDS", "Gateway:PachdIdleTimeoutSeconds"),
        ("GATEWAY_PACHD_CONNECT_SECONDS", "Gateway:PachdConnectTimeoutSeconds"),
        ("GATEWAY_IDLE_RELEASE_SECONDS", "Gateway:IdleReleaseSeconds"),
        ("GATEWAY_MAX_TRANSFERS", "Gateway:MaxConcurrentTransfers"),
        ("GATEWAY_MAX_REQUESTS", "Gateway:MaxConcurrentRequests"),
        ("GATEWAY_QUEUE_SECONDS", "Gateway:QueueSeconds"),
        ("GATEWAY_RETRY_AFTER_SECONDS", "Gateway:RetryAfterSeconds"),
        ("GATEWAY_UPLOAD_EXPIRY_DAYS", "Gateway:UploadExpiryDays"),
        ("GATEWAY_BASE_DOMAIN", "S3:BaseDomain"),
        ("GATEWAY_REGION", "Gateway:Location"),
        ("GATEWAY_TLS_CERT", "Gateway:TlsCertificatePath"),
        ("GATEWAY_TLS_KEY", "Gateway:TlsKeyPath"),
        ("GATEWAY_TLS_PORT", "Gateway:TlsPort"),
        ("GATEWAY_FUNCTIONS_LOCALPACHD", "Gateway:FunctionsLocalPachd"),
        ("GATEWAY_SHUTDOWN_SECONDS", "Gateway:ShutdownSeconds"),
        ("GATEWAY_READY_TIMEOUT_SECONDS", "Gateway:ReadinessTimeoutSeconds"),
        ("GATEWAY_READY_CACHE_SECONDS", "Gateway:ReadinessCacheSeconds"),
        ("GATEWAY_METRICS", "Gateway:Metrics"),
        ("GATEWAY_LOG_FORMAT", "Gateway:LogFormat"),
        ("GATEWAY_TRUSTED_PROXIES", "Gateway:TrustedProxies"),
    ];

    /// <summary>Adds the aliases that are set in the environment.</summary>
    public static void Apply(IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Map)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                values[key] = value;
            }
        }

        if (values.Count > 0)
        {
            configuration.AddInMemoryCollection(values);
        }
    }
}
