using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Gateway.Functions.Hosting;

/// <summary>
/// HTTPS for the standalone host. When <see cref="GatewayHostOptions.TlsCertificatePath"/> is set the host serves
/// https on <see cref="GatewayHostOptions.TlsPort"/> beside plain http on <see cref="GatewayHostOptions.Port"/>:
/// clients pick different body framings per scheme (boto3 sends aws-chunked with an unsigned trailer only over TLS),
/// so both must stay reachable.
/// </summary>
internal static class TlsEndpoint
{
    private static string Key(string property) => $"{GatewayHostOptions.SectionName}:{property}";

    /// <summary>
    /// The default listen addresses: http on the main port, plus https on the TLS port when a certificate is
    /// configured. Used as the lowest-priority <c>urls</c>, so <c>ASPNETCORE_URLS</c> and test hosts still win.
    /// </summary>
    public static string DefaultUrls(IConfiguration configuration)
    {
        var port = configuration.GetValue(Key(nameof(GatewayHostOptions.Port)), 30600);
        var urls = string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{port}");
        if (!string.IsNullOrWhiteSpace(configuration[Key(nameof(GatewayHostOptions.TlsCertificatePath))]))
        {
            var tlsPort = configuration.GetValue(Key(nameof(GatewayHostOptions.TlsPort)), 30601);
            if (tlsPort == port)
            {
                throw new InvalidOperationException($"Gateway:TlsPort ({tlsPort}) must differ from Gateway:Port: http stays on the main port.");
            }

            urls += string.Create(CultureInfo.InvariantCulture, $";https://0.0.0.0:{tlsPort}");
        }

        return urls;
    }

    /// <summary>
    /// Makes the configured certificate the default for every https endpoint Kestrel opens (the default address,
    /// an https entry in <c>urls</c>, or <c>ListenOptions.UseHttps()</c>). No-op when no certificate is configured.
    /// </summary>
    public static void ConfigureHttpsDefaults(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var certificatePath = configuration[Key(nameof(GatewayHostOptions.TlsCertificatePath))];
        if (string.IsNullOrWhiteSpace(certificatePath))
        {
            return;
        }

        var certificate = LoadPem(certificatePath, configuration[Key(nameof(GatewayHostOptions.TlsKeyPath))]);
        kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
    }

    /// <summary>
    /// Loads a PEM certificate and its private key (from <paramref name="keyPath"/>, or from the certificate file
    /// itself when null). Fails at startup with the setting names, never at the first handshake.
    /// </summary>
    public static X509Certificate2 LoadPem(string certificatePath, string? keyPath)
    {
        if (!File.Exists(certificatePath))
        {
            throw new InvalidOperationException($"Gateway:TlsCertificatePath: no such file '{certificatePath}'.");
        }

        if (!string.IsNullOrWhiteSpace(keyPath) && !File.Exists(keyPath))
        {
            throw new InvalidOperationException($"Gateway:TlsKeyPath: no such file '{keyPath}'.");
        }

        try
        {
            // Throws when no private key matching the certificate is found.
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);
            // A PEM-loaded key is ephemeral; SslStream on Windows refuses those, so round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Gateway:TlsCertificatePath/TlsKeyPath: cannot load '{certificatePath}': {e.Message}", e);
        }
    }
}
