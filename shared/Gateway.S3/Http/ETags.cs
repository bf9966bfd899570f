namespace Gateway.S3.Http;

/// <summary>ETag quoting and comparison helpers.</summary>
public static class ETags
{
    /// <summary>Returns the ETag in double quotes (adds them when missing; keeps a W/ prefix).</summary>
    public static string Quote(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        if (etag.StartsWith("W/\"", StringComparison.Ordinal) || (etag.Length >= 2 && etag[0] == '"' && etag[^1] == '"'))
        {
            return etag;
        }

        return "\"" + etag + "\"";
    }

    /// <summary>Removes surrounding quotes and a weak prefix: <c>W/"abc"</c> → <c>abc</c>.</summary>
    public static string Unquote(string etag)
    {
        ArgumentNullException.ThrowIfNull(etag);
        var s = etag.Trim();
        if (s.StartsWith("W/", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            s = s[1..^1];
        }

        return s;
    }

    /// <summary>Compares two ETags ignoring quotes and weakness (S3 ETags are opaque strings).</summary>
    public static bool AreEqual(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Unquote(a), Unquote(b), StringComparison.Ordinal);

    /// <summary>
    /// True when an If-Match / If-None-Match header value (comma-separated list, or <c>*</c>) matches
    /// <paramref name="etag"/>. Unquoted values are accepted, as some clients (pyspark) send them.
    /// </summary>
    public static bool ListMatches(string headerValue, string etag)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        foreach (var part in headerValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "*" || AreEqual(part, etag))
            {
                return true;
            }
        }

        return false;
    }
}
