using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using IPNetwork = System.Net.IPNetwork;

namespace Gateway.Functions.Hosting;

/// <summary>
/// The client behind a reverse proxy. Only the proxies named in <see cref="GatewayHostOptions.TrustedProxies"/> are
/// believed: their <c>X-Forwarded-For</c> entries are read from the right while the address they came from is one of
/// them, and the first other address becomes the connection's remote address (what the auth-failure limit counts
/// by); <c>X-Forwarded-Proto</c> becomes the request's scheme (CompleteMultipartUpload's Location). Host headers are
/// never taken from the proxy: SigV4 signs the Host the client sent.
/// </summary>
internal static class ForwardedClients
{
    /// <summary>Configures the forwarded-headers middleware; false when no proxy is trusted (it is then not used).</summary>
    public static bool Configure(IServiceCollection services, IConfiguration configuration)
    {
        var text = configuration[$"{GatewayHostOptions.SectionName}:{nameof(GatewayHostOptions.TrustedProxies)}"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var (proxies, networks) = Parse(text);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return true;
    }

    /// <summary>Reads "10.0.0.5, 10.1.0.0/16, ::1"; a malformed entry stops the start with a message naming it.</summary>
    internal static (List<IPAddress> Proxies, List<IPNetwork> Networks) Parse(string text)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
                if (address.IsIPv4MappedToIPv6 || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    // Kestrel may report either form of an IPv4 peer.
                    proxies.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address.MapToIPv6());
                }
            }
            else
            {
                throw new InvalidOperationException($"GATEWAY_TRUSTED_PROXIES: '{entry}' is neither an IP address nor a CIDR network.");
            }
        }

        return (proxies, networks);
    }
}
