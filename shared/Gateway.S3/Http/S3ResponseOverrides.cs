using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.S3.Http;

/// <summary>
/// GetObject's <c>response-*</c> query parameters, which override response headers:
/// response-content-type, -content-language, -expires, -cache-control, -content-disposition, -content-encoding.
/// </summary>
public static class S3ResponseOverrides
{
    private static readonly (string Parameter, string Header)[] _map =
    [
        ("response-content-type", HeaderNames.ContentType),
        ("response-content-language", HeaderNames.ContentLanguage),
        ("response-expires", HeaderNames.Expires),
        ("response-cache-control", HeaderNames.CacheControl),
        ("response-content-disposition", HeaderNames.ContentDisposition),
        ("response-content-encoding", HeaderNames.ContentEncoding),
    ];

    /// <summary>Returns the header overrides present in <paramref name="query"/> (header name → value).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> From(S3Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (parameter, header) in _map)
        {
            var value = query.Get(parameter);
            if (value is not null)
            {
                result.Add(new(header, value));
            }
        }

        return result;
    }

    /// <summary>Applies the overrides to <paramref name="response"/> (call after setting the object's own headers).</summary>
    public static void Apply(HttpResponse response, S3Query query)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var (header, value) in From(query))
        {
            response.Headers[header] = value;
        }
    }
}
