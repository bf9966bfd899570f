namespace Gateway.Pachyderm.Client;

/// <summary>Turns the address forms pachctl users write into the http(s) URI Grpc.Net.Client needs.</summary>
internal static class PachAddress
{
    /// <summary>
    /// <c>grpc://h:p</c> and bare <c>h:p</c> become <c>http://h:p</c> (h2c); <c>grpcs://h:p</c> becomes
    /// <c>https://h:p</c>; <c>http</c>/<c>https</c> URIs pass through.
    /// </summary>
    public static Uri Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Trim();
        var scheme = "http";
        var rest = text;
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            var given = text[..separator].ToUpperInvariant();
            rest = text[(separator + 3)..];
            scheme = given switch
            {
                "HTTP" or "GRPC" => "http",
                "HTTPS" or "GRPCS" => "https",
                _ => throw new ArgumentException($"Unsupported pachd address scheme '{text[..separator]}' in '{address}'.", nameof(address)),
            };
        }

        if (!Uri.TryCreate($"{scheme}://{rest}", UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{address}' is not a pachd address (expected host:port or a URI).", nameof(address));
        }
        return uri;
    }
}
