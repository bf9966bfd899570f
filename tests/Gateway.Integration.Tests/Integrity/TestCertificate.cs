using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Integration.Tests.Integrity;

/// <summary>A throw-away self-signed certificate for 127.0.0.1 / localhost, written as PEM files the host loads.</summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string directory)
    {
        Certificate = certificate;
        Directory = directory;
    }

    /// <summary>The certificate (public part is what clients pin).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Where the PEM files are.</summary>
    public string Directory { get; }

    /// <summary>PEM certificate file.</summary>
    public string CertificatePath => Path.Combine(Directory, "cert.pem");

    /// <summary>PEM PKCS#8 key file.</summary>
    public string KeyPath => Path.Combine(Directory, "key.pem");

    /// <summary>Makes the certificate in-process and writes cert.pem / key.pem into a fresh temp directory.</summary>
    public static TestCertificate Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var directory = Path.Combine(Path.GetTempPath(), "gw-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var result = new TestCertificate(certificate, directory);
        File.WriteAllText(result.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(result.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return result;
    }

    /// <summary>Trusts exactly this certificate (by thumbprint), as a CA bundle with only it would.</summary>
    public bool Validate(X509Certificate2? presented) =>
        presented is not null && string.Equals(presented.Thumbprint, Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase);

    /// <summary>A handler that trusts this certificate only.</summary>
    public HttpClientHandler Handler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => Validate(presented),
        AllowAutoRedirect = false,
    };

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
