using Gateway.S3.Errors;
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

    /// <summary>
    /// Returns the header overrides present in <paramref name="query"/> (header name → value), each in its header
    /// form: a value with non-ASCII characters as an RFC 2047 encoded word, as S3 sends stored metadata. A value
    /// with a control character cannot be a header: InvalidArgument (400), before anything is read.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> From(S3Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (parameter, header) in _map)
        {
            var value = query.Get(parameter);
            if (value is null)
            {
                continue;
            }

            var headerValue = S3HeaderText.ToHeaderValue(value)
                ?? throw S3Exception.InvalidArgument("Header value cannot be represented using ISO-8859-1.", parameter, value);
            result.Add(new(header, headerValue));
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
