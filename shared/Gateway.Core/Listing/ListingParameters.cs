using Gateway.S3.Http;
using Gateway.S3.Routing;
using Gateway.S3.Xml;

namespace Gateway.Core.Listing;

/// <summary>The parameters every listing of keys shares: <c>prefix</c>, <c>delimiter</c>, <c>max-keys</c>, <c>encoding-type</c>.</summary>
/// <param name="Prefix">Keys start with this ("" for all).</param>
/// <param name="Delimiter">Where keys roll up into common prefixes (null: nowhere).</param>
/// <param name="MaxKeys">Entries per page.</param>
/// <param name="Encoding"><c>url</c> when keys are to be URL-encoded in the answer.</param>
internal sealed record ListingParameters(string Prefix, string? Delimiter, int MaxKeys, string? Encoding)
{
    /// <summary>Reads (and validates) them from a request's query.</summary>
    public static ListingParameters From(S3Query query) => new(
        query.Get("prefix") ?? string.Empty,
        query.Get("delimiter") is { Length: > 0 } delimiter ? delimiter : null,
        S3ListParameters.ParseMaxKeys(query.Get("max-keys")),
        S3ListParameters.ParseEncodingType(query.Get("encoding-type")) is null ? null : S3XmlKeyEncoding.Url);
}
