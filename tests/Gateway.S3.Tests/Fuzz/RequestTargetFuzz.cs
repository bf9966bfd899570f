using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Gateway.S3.Auth.SigV2;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// The raw request target (<see cref="S3RequestTarget"/>, <see cref="S3UriEncoding"/>, <see cref="S3Query"/>): any
/// bucket and key (any Unicode, '/', '%', '+', '?', '#', spaces, up to 1,024 UTF-8 bytes of key) encoded as the AWS
/// SDKs encode them, path-style or virtual-hosted, in origin or absolute form, parse back to themselves; any query
/// encoded as clients encode one parses back to its parameters, in order; arbitrary targets and hosts give a parse
/// or an S3Exception, and what the signers derive from a parse never throws.
/// </summary>
public sealed class RequestTargetFuzz
{
    private const string _baseDomain = "s3.gateway.test";

    /// <summary>Any Unicode scalar values, with the characters URIs give a meaning to often.</summary>
    private static readonly Gen<string> _text = Gen.Frequency(
        (4, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (3, Gen.OneOf("/", "%", "+", "?", "#", " ", "  ", "&", "=", "%2F", "%25", "//", "./", "../", ";", "\t")),
        (1, Gen.Char['\u0000', '\u001f'].Select(c => c.ToString())),
        (1, Gen.Char['\u0080', '\ud7ff'].Select(c => c.ToString())),
        (1, Gen.Char['\ue000', '\uffff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> _key = Gen.Frequency(
        (4, _text.Array[1, 40].Select(string.Concat)),
        (1, _text.Array[200, 400].Select(string.Concat)))
        .Select(k => Utf8Prefix(k, 1024))
        .Where(k => k.Length > 0);

    /// <summary>The longest prefix of whole scalar values within <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    private static string Utf8Prefix(string s, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < s.Length)
        {
            var width = char.IsHighSurrogate(s[i]) ? 2 : 1;
            var n = Encoding.UTF8.GetByteCount(s.AsSpan(i, width));
            if (bytes + n > maxBytes)
            {
                break;
            }

            bytes += n;
            i += width;
        }

        return s[..i];
    }

    /// <summary>
    /// A path segment as a client encodes it: 0 the SDKs (unreserved kept, upper-case hex), 1 lower-case hex, 2 every
    /// byte escaped, 3 as 0 but '/' as %2F too, 4 as 0 with RFC 3986's other path characters (sub-delims, ':', '@') kept.
    /// </summary>
    private static string EncodePath(string value, int spelling) => spelling switch
    {
        1 => Regex.Replace(ReferenceSigner.UriEncode(value, keepSlash: true), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
        2 => string.Concat(Encoding.UTF8.GetBytes(value).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
        3 => ReferenceSigner.UriEncode(value, keepSlash: false),
        4 => Regex.Replace(ReferenceSigner.UriEncode(value, keepSlash: true), "%(21|24|26|27|28|29|2A|2B|2C|3B|3D|3A|40)", m => ((char)Convert.ToByte(m.Value[1..], 16)).ToString()),
        _ => ReferenceSigner.UriEncode(value, keepSlash: true),
    };

    /// <summary>
    /// A query name or value as a client encodes it: 0 the SDKs, 1 lower-case hex, 2 with what RFC 3986 allows in a
    /// query kept ('/', '?', ':', '@', and in values '='), except '&amp;', '#', '%' and '+'.
    /// </summary>
    private static string EncodeQuery(string value, int spelling, bool isValue) => spelling switch
    {
        1 => Regex.Replace(ReferenceSigner.UriEncode(value, keepSlash: false), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
        2 => Regex.Replace(ReferenceSigner.UriEncode(value, keepSlash: false), isValue ? "%(2F|3F|3A|40|21|24|27|28|29|2A|2C|3B|3D)" : "%(2F|3F|3A|40|21|24|27|28|29|2A|2C|3B)", m => ((char)Convert.ToByte(m.Value[1..], 16)).ToString()),
        _ => ReferenceSigner.UriEncode(value, keepSlash: false),
    };

    private static readonly Gen<(string Name, string Value, bool HasValue)[]> _query =
        Gen.Select(Gen.OneOf(_text.Array[0, 6].Select(string.Concat), Gen.OneOf("uploads", "versionId", "list-type", "prefix", "X-Amz-Date")), _text.Array[0, 12].Select(string.Concat), Gen.Bool)
            .Select(p => (p.Item1, p.Item3 ? p.Item2 : string.Empty, p.Item3))
            // An empty name without '=' is no parameter at all (an empty segment, as in "a&&b").
            .Where(p => p.Item1.Length > 0 || p.Item3)
            .Array[0, 6];

    private static string RawQuery((string Name, string Value, bool HasValue)[] query, int spelling) =>
        string.Join('&', query.Select(p => EncodeQuery(p.Name, spelling, false) + (p.HasValue ? "=" + EncodeQuery(p.Value, spelling, true) : string.Empty)));

    /// <summary>Path-style bucket names may be anything the path can carry before the first '/'; virtual-hosted ones are DNS labels.</summary>
    private static readonly Gen<string> _pathBucket = Gen.Frequency(
        (3, Gen.String[Gen.Char["abcz09.-"], 3, 63]),
        (1, _text.Array[1, 8].Select(string.Concat).Where(b => !b.Contains('/', StringComparison.Ordinal))));

    private static readonly Gen<string> _hostBucket = Gen.String[Gen.Char["abcz09.-"], 1, 63];

    [Fact]
    public void PathStyle_SdkEncoded_BucketAndKeyBack() =>
        Gen.Select(_pathBucket, _key, Gen.Int[0, 4], _query, Gen.Int[0, 2], Gen.Int[0, 2]).Sample(4_000, t =>
        {
            var (bucket, key, spelling, query, querySpelling, form) = t;
            var path = "/" + EncodePath(bucket, spelling == 4 ? 0 : spelling) + "/" + EncodePath(key, spelling);
            var rawQuery = RawQuery(query, querySpelling);
            var target = (form == 1 ? "http://gateway.test:8080" : string.Empty) + path + (rawQuery.Length > 0 || form == 2 ? "?" + rawQuery : string.Empty);

            var parsed = S3RequestTarget.Parse(target, "gateway.test:8080", _baseDomain);

            Assert.Equal(bucket, parsed.Bucket);
            Assert.Equal(key, parsed.Key);
            Assert.False(parsed.IsVirtualHostedStyle);
            Assert.Equal(path, parsed.RawPath);
            Assert.Equal(rawQuery, parsed.RawQuery);
            Assert.Equal(query, parsed.Query.Select(p => (p.Name, p.Value, p.HasValue)));
            Assert.Equal("/" + bucket + "/" + key, parsed.Resource);
        }, print: t => $"bucket \"{t.Item1}\" key \"{t.Item2}\" spelling {t.Item3}, query spelling {t.Item5}, form {t.Item6}");

    [Fact]
    public void VirtualHosted_SdkEncoded_BucketAndKeyBack() =>
        Gen.Select(_hostBucket, _key, Gen.Int[0, 4], _query, Gen.OneOf(string.Empty, ":30600", ":443"), Gen.Bool).Sample(4_000, t =>
        {
            var (bucket, key, spelling, query, port, upper) = t;
            var path = "/" + EncodePath(key, spelling);
            var rawQuery = RawQuery(query, 0);
            var domain = upper ? _baseDomain.ToUpperInvariant() : _baseDomain;

            var parsed = S3RequestTarget.Parse(rawQuery.Length > 0 ? path + "?" + rawQuery : path, bucket + "." + domain + port, _baseDomain);

            Assert.Equal(bucket, parsed.Bucket);
            Assert.Equal(key, parsed.Key);
            Assert.True(parsed.IsVirtualHostedStyle);
            Assert.Equal(path, parsed.RawPath);
            Assert.Equal(query, parsed.Query.Select(p => (p.Name, p.Value, p.HasValue)));
        }, print: t => $"bucket \"{t.Item1}\" key \"{t.Item2}\" spelling {t.Item3}, port \"{t.Item5}\"");

    [Fact]
    public void Query_ClientEncoded_ParametersBackInOrder() =>
        Gen.Select(_query, Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 2]).Sample(5_000, t =>
        {
            var (query, spelling, questionMark, emptySegments) = t;
            var raw = RawQuery(query, spelling);
            // Empty segments ("a&&b", a trailing '&') are no parameters.
            raw = emptySegments switch
            {
                1 => raw.Replace("&", "&&", StringComparison.Ordinal),
                2 => "&" + raw + "&",
                _ => raw,
            };

            // Parse takes the query with or without its mark: one that starts with '?' needs the mark.
            var parsed = S3Query.Parse(questionMark || raw.StartsWith('?') ? "?" + raw : raw);

            Assert.Equal(query, parsed.Select(p => (p.Name, p.Value, p.HasValue)));
            Assert.Equal(query.Length, parsed.Count);
            Assert.Equal(raw, parsed.Raw);
            foreach (var (name, value, _) in query)
            {
                Assert.True(parsed.Contains(name));
                Assert.Equal(query.First(p => p.Name == name).Value, parsed.Get(name));
                Assert.True(parsed.TryGet(name, out var got));
                Assert.Equal(parsed.Get(name), got);
            }
        }, print: t => $"query [{string.Join(", ", t.Item1.Select(p => $"(\"{p.Name}\", \"{p.Value}\", {p.HasValue})"))}] spelling {t.Item2}");

    [Fact]
    public void UriEncoding_EncodeThenDecode_RoundTrips() =>
        Gen.Select(_key, Gen.Bool).Sample(5_000, t =>
        {
            var (value, keepSlash) = t;
            var encoded = S3UriEncoding.Encode(value, keepSlash);

            Assert.Equal(ReferenceSigner.UriEncode(value, keepSlash), encoded);
            Assert.Equal(value, S3UriEncoding.Decode(encoded));
            // Decoding is done once: what is decoded again is the encoded text itself.
            Assert.Equal(encoded, S3UriEncoding.Decode(S3UriEncoding.Encode(encoded, keepSlash)));
        });

    private static readonly Gen<string> _rawTarget = Gen.Frequency(
        (4, Gen.OneOf(
            Gen.Const("%"), Gen.Const("%2"), Gen.Const("%G1"), Gen.Const("%FF"), Gen.Const("%C3%28"), Gen.Const("%ED%A0%80"), Gen.Const("%F4%90%80%80"),
            Gen.Const("%C0%AF"), Gen.Const("%E2%82"), Gen.Const("%2F"), Gen.Const("%252F"), Gen.Const("/"), Gen.Const("//"), Gen.Const("?"), Gen.Const("&"),
            Gen.Const("="), Gen.Const("#"), Gen.Const("+"), Gen.Const("http://"), Gen.Const("https://h"), Gen.Const("://"), Gen.Const("*"),
            Gen.Char["ab.-~ "].Select(c => c.ToString()),
            Gen.Char['\0', '\uffff'].Select(c => c.ToString()),
            Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)).Array[0, 30].Select(string.Concat)),
        (1, Gen.String[Gen.Char[' ', '\u00ff'], 0, 60]));

    private static readonly Gen<string?> _host = Gen.OneOf(
        Gen.OneOf<string?>(null, string.Empty, "gateway.test", "[::1]:8080", "." + _baseDomain, _baseDomain, "b." + _baseDomain + ":", "b." + _baseDomain + "."),
        Gen.String[Gen.Char["ab.:[]-9"], 0, 20].Select(h => (string?)(h + "." + _baseDomain)),
        Gen.String[Gen.Char[' ', '\u00ff'], 0, 20].Select(h => (string?)h));

    [Fact]
    public void AnyTarget_ParseOrS3Exception_AndWhatSignersDeriveNeverThrows() =>
        Gen.Select(_rawTarget, _host, Gen.OneOf<string?>(null, _baseDomain, "." + _baseDomain + ".", string.Empty)).Sample(20_000, t =>
        {
            var (raw, host, baseDomain) = t;
            S3RequestTarget parsed;
            try
            {
                parsed = S3RequestTarget.Parse(raw, host, baseDomain);
            }
            catch (S3Exception e) when (e.Error == S3Errors.InvalidUri || e.Error == S3Errors.InvalidBucketName)
            {
                return;
            }

            Assert.StartsWith("/", parsed.RawPath, StringComparison.Ordinal);
            Assert.True(parsed.Bucket is null ? parsed.Key is null : parsed.Bucket.Length > 0);
            _ = parsed.Resource;
            _ = SigV4Signer.CanonicalUri(parsed.RawPath);
            _ = SigV4Signer.CanonicalUriKeepingEncodedSlashes(parsed.RawPath);
            _ = SigV4Signer.CanonicalQuery(parsed.RawQuery, "X-Amz-Signature");
            _ = SigV2Signer.CanonicalResource(parsed);
            _ = SigV2Signer.CanonicalResourceWithBucketSlash(parsed);
            try
            {
                var alternative = parsed.WithEncodedSlashes();
                Assert.True(alternative is null || alternative.Bucket is not null);
            }
            catch (S3Exception e) when (e.Error == S3Errors.InvalidUri || e.Error == S3Errors.InvalidBucketName)
            {
            }
        }, print: t => $"target \"{t.Item1}\" host \"{t.Item2}\" base domain \"{t.Item3}\"");
}
