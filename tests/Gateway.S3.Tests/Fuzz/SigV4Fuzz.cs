using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using AmzDates = Gateway.S3.Auth.SigV4.AmzDate;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// SigV4 (header and presigned query) through <see cref="S3Authenticator"/>: any request signed by
/// <see cref="ReferenceSigner"/> (arbitrary keys, query parameters, header values, path spellings) verifies, and any
/// single change to what it signed is refused with the error S3 gives, never another exception. Plus the header parser
/// on its own: format then parse gives the parts back; arbitrary text gives AuthorizationHeaderMalformed or
/// SignatureDoesNotMatch at worst.
/// </summary>
public sealed class SigV4Fuzz
{
    internal const string AccessKey = "AKIDFUZZ";
    internal const string Secret = "fuzz/Secret+Key=";
    internal static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    internal static S3Authenticator Authenticator(string secret = Secret) =>
        new(new DelegateCredentialResolver(ak => ak == AccessKey ? secret : null), new S3ProtocolOptions(), new FixedTimeProvider(Now));

    /// <summary>What a client signs. Header names are lower case; all are signed.</summary>
    internal sealed record Request(
        string Method,
        string Bucket,
        string Key,
        int PathSpelling,
        (string Name, string Value, bool HasValue)[] Query,
        (string Name, string[] Values)[] Headers,
        string PayloadHash,
        string Region,
        DateTimeOffset When)
    {
        public string AmzDate => AmzDates.ToAmzDate(When);

        public string Scope => $"{AmzDates.ToScopeDate(When)}/{Region}/s3/aws4_request";

        public IEnumerable<(string Name, string[] Values)> AllHeaders =>
            Headers.Append(("host", ["gateway.test"])).Append(("x-amz-date", [AmzDate]));

        public override string ToString() =>
            $"{Method} {RawTarget()} key \"{Key}\" region {Region} at {AmzDate}, payload {PayloadHash}, headers "
            + string.Join("; ", Headers.Select(h => h.Name + ": [" + string.Join("|", h.Values.Select(v => "\"" + v + "\"")) + "]"));

        public string RawTarget()
        {
            var path = "/" + Bucket + "/" + PathSpelling switch
            {
                // Lower-case hex, and every byte escaped (slashes too): the server decodes once, then signs.
                1 => Regex.Replace(ReferenceSigner.UriEncode(Key, keepSlash: true), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
                2 => string.Concat(Encoding.UTF8.GetBytes(Key).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
                _ => ReferenceSigner.UriEncode(Key, keepSlash: true),
            };
            var query = string.Join('&', Query.Select(p => ReferenceSigner.UriEncode(p.Name, false) + (p.HasValue ? "=" + ReferenceSigner.UriEncode(p.Value, false) : string.Empty)));
            return query.Length == 0 ? path : path + "?" + query;
        }
    }

    private static readonly Gen<string> _text = Gen.Frequency(
        (6, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (1, Gen.Char["\t  %+&=/?#"].Select(c => c.ToString())),
        (1, Gen.Char['\u00a0', '\u07ff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32))).Array[0, 12].Select(string.Concat);

    private static readonly Gen<string> _headerText = Gen.String[Gen.Char[" \t!az09-=/;,\"()"], 0, 14];

    private static readonly Gen<string> _lower = Gen.String[Gen.Char["abcxyz019-"], 1, 10];

    internal static readonly Gen<Request> Requests =
        from method in Gen.OneOf("GET", "PUT", "HEAD", "DELETE", "POST")
        from bucket in Gen.String[Gen.Char["abc123-"], 3, 12]
        from key in _text.Where(k => k.Length > 0)
        from spelling in Gen.Int[0, 2]
        from query in Gen.Select(Gen.OneOf(_lower, _text), _text, Gen.Bool).Array[0, 4]
        from meta in Gen.Select(_lower, _headerText.Array[1, 2]).Array[0, 3]
        from other in Gen.Select(Gen.OneOf("content-type", "range", "x-custom", "content-md5"), _headerText).Array[0, 2]
        from payload in Gen.OneOf(Gen.Const(S3ContentSha256.UnsignedPayload), Gen.Byte.Array[32].Select(Convert.ToHexString), Gen.Byte.Array[32].Select(Convert.ToHexStringLower))
        from region in _lower
        from skew in Gen.Int[-600, 600]
        select new Request(
            method,
            bucket,
            key,
            spelling,
            // An empty name without '=' is no parameter at all (an empty segment, as in "a&&b").
            [.. query.Where(q => !q.Item1.StartsWith("X-Amz-", StringComparison.Ordinal) && q.Item1 is not ("Signature" or "AWSAccessKeyId") && (q.Item1.Length > 0 || q.Item3))
                .Select(q => (q.Item1, q.Item3 ? q.Item2 : string.Empty, q.Item3))],
            [.. meta.Select(m => ("x-amz-meta-" + m.Item1, m.Item2)).DistinctBy(m => m.Item1)
                .Concat(other.Select(o => (o.Item1, new[] { o.Item2 })).DistinctBy(o => o.Item1))
                .Append(("x-amz-content-sha256", [payload]))],
            payload,
            region,
            Now.AddSeconds(skew));

    private static string Sign(Request r, string secret = Secret) =>
        ReferenceSigner.SignV4(secret, r.Scope, r.AmzDate, r.Method, "/" + r.Bucket + "/" + r.Key, r.Query.Select(q => (q.Name, q.Value)), r.AllHeaders, r.PayloadHash);

    private static string AuthorizationHeader(Request r, string signature, string accessKey = AccessKey, int layout = 0)
    {
        string[] parts = [
            $"Credential={accessKey}/{r.Scope}",
            "SignedHeaders=" + string.Join(';', r.AllHeaders.Select(h => h.Name).Order(StringComparer.Ordinal)),
            "Signature=" + signature,
        ];
        return "AWS4-HMAC-SHA256 " + string.Join(layout % 2 == 0 ? ", " : ",", layout >= 2 ? parts.Reverse() : parts);
    }

    private static IHeaderDictionary HttpHeaders(Request r, string authorization)
    {
        IHeaderDictionary h = new HeaderDictionary();
        foreach (var (name, values) in r.AllHeaders)
        {
            h[name] = new StringValues(values);
        }

        h.Authorization = authorization;
        h.UserAgent = "unsigned headers other than x-amz-* are fine";
        return h;
    }

    private static S3AuthResult Authenticate(S3Authenticator auth, string method, string rawTarget, IHeaderDictionary headers) =>
        auth.AuthenticateAsync(method, S3RequestTarget.Parse(rawTarget), headers, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void Header_SignedByReference_Verifies() =>
        Gen.Select(Requests, Gen.Int[0, 3]).Sample(3_000, t =>
        {
            var (r, layout) = t;
            var result = Authenticate(Authenticator(), r.Method, r.RawTarget(), HttpHeaders(r, AuthorizationHeader(r, Sign(r), layout: layout)));

            Assert.Equal(AccessKey, result.Identity.AccessKeyId);
            Assert.Equal(Sign(r), result.Signing!.SeedSignature);
        });

    /// <summary>The ways to change one thing a signature covers, and the error each must get.</summary>
    private enum Mutation
    {
        Method,
        KeyCharacter,
        QueryValue,
        QueryAdded,
        QueryDropped,
        HeaderValue,
        UnsignedAmzHeader,
        Date,
        PayloadHash,
        Region,
        SignatureDigit,
        Secret,
        AccessKey,
    }

    [Fact]
    public void Header_AnySingleMutation_Refused() =>
        Gen.Select(Requests, Gen.Enum<Mutation>(), Gen.Int[0, 1000], Gen.Char["!az09~é"]).Sample(4_000, t =>
        {
            var (r, mutation, at, c) = t;
            var signature = Sign(r);
            var accessKey = AccessKey;
            var secret = Secret;
            var sent = r;
            string? extraHeader = null;
            var expected = S3Errors.SignatureDoesNotMatch;
            switch (mutation)
            {
                case Mutation.Method:
                    sent = r with { Method = r.Method == "GET" ? "PUT" : "GET" };
                    break;
                case Mutation.KeyCharacter:
                    sent = r with { Key = FuzzText.Replace(r.Key, at, c) };
                    break;
                case Mutation.QueryValue when r.Query.Length > 0:
                    var q = r.Query[at % r.Query.Length];
                    sent = r with { Query = [.. r.Query.Select(p => p == q ? (p.Name, FuzzText.Replace(p.Value + "v", at, c), true) : p)] };
                    break;
                case Mutation.QueryDropped when r.Query.Length > 0:
                    sent = r with { Query = [.. r.Query.Where((_, i) => i != at % r.Query.Length)] };
                    break;
                case Mutation.QueryAdded or Mutation.QueryValue or Mutation.QueryDropped:
                    sent = r with { Query = [.. r.Query, ("added", c.ToString(), at % 2 == 0)] };
                    break;
                case Mutation.HeaderValue:
                    var h = r.Headers[at % r.Headers.Length];
                    var changed = h.Name == "x-amz-content-sha256" ? S3ContentSha256.EmptySha256 : FuzzText.Replace(h.Values[0] + "v", at, c);
                    sent = r with { Headers = [.. r.Headers.Select(x => x == h ? (x.Name, [changed, .. x.Values[1..]]) : x)] };
                    break;
                case Mutation.UnsignedAmzHeader:
                    extraHeader = "x-amz-meta-unsigned-" + at;
                    expected = S3Errors.AccessDenied;
                    break;
                case Mutation.Date:
                    sent = r with { When = r.When.AddSeconds(at % 2 == 0 ? 1 : -1) };
                    if (AmzDates.ToScopeDate(sent.When) != AmzDates.ToScopeDate(r.When))
                    {
                        expected = S3Errors.AuthorizationHeaderMalformed;
                    }

                    break;
                case Mutation.PayloadHash:
                    sent = r with { PayloadHash = S3ContentSha256.EmptySha256, Headers = [.. r.Headers.Select(x => x.Name == "x-amz-content-sha256" ? (x.Name, [S3ContentSha256.EmptySha256]) : x)] };
                    break;
                case Mutation.Region:
                    sent = r with { Region = r.Region + "x" };
                    break;
                case Mutation.SignatureDigit:
                    var i = at % signature.Length;
                    signature = signature[..i] + (signature[i] == '0' ? '1' : '0') + signature[(i + 1)..];
                    break;
                case Mutation.Secret:
                    secret = Secret + c;
                    break;
                case Mutation.AccessKey:
                    accessKey = AccessKey + c;
                    expected = S3Errors.InvalidAccessKeyId;
                    break;
            }

            var headers = HttpHeaders(sent, AuthorizationHeader(sent, signature, accessKey));
            if (extraHeader is not null)
            {
                headers[extraHeader] = "x";
            }

            if (sent.PayloadHash == r.PayloadHash && mutation == Mutation.PayloadHash)
            {
                return;
            }

            var e = Assert.Throws<S3Exception>(() => Authenticate(Authenticator(secret), sent.Method, sent.RawTarget(), headers));
            Assert.True(ReferenceEquals(expected, e.Error), $"{mutation}: {e.Error.Code}, expected {expected.Code}");
        });

    [Fact]
    public void Presigned_SignedByReference_VerifiesAndAnyMutationRefused() =>
        Gen.Select(Requests, Gen.Int[1, 604_800], Gen.Int[-1, 12], Gen.Int[0, 1000]).Sample(3_000, t =>
        {
            var (r0, expires, mutate, at) = t;
            var r = r0 with { When = Now.AddSeconds(-Math.Min(expires - 1, 100)), Headers = [.. r0.Headers.Where(h => h.Name != "x-amz-content-sha256")] };
            var expiresText = expires.ToString(CultureInfo.InvariantCulture);
            var signedHeaders = string.Join(';', r.AllHeaders.Select(h => h.Name).Where(n => n != "x-amz-date").Order(StringComparer.Ordinal));
            (string, string, bool)[] auth =
            [
                ("X-Amz-Algorithm", "AWS4-HMAC-SHA256", true),
                ("X-Amz-Credential", AccessKey + "/" + r.Scope, true),
                ("X-Amz-Date", r.AmzDate, true),
                ("X-Amz-Expires", expiresText, true),
                ("X-Amz-SignedHeaders", signedHeaders, true),
            ];
            var signedQuery = r with { Query = [.. r.Query, .. auth] };
            var headers = r.AllHeaders.Where(h => h.Name != "x-amz-date").ToList();
            var signature = ReferenceSigner.SignV4(Secret, r.Scope, r.AmzDate, r.Method, "/" + r.Bucket + "/" + r.Key, signedQuery.Query.Select(q => (q.Name, q.Value)), headers, S3ContentSha256.UnsignedPayload);

            // -1: as signed; 0-12: one change (a query parameter, the path, the method, a header, the signature).
            var sent = signedQuery;
            var sentSignature = signature;
            var sentHeaders = headers;
            switch (mutate)
            {
                case 0:
                    sent = sent with { Method = sent.Method == "GET" ? "PUT" : "GET" };
                    break;
                case 1:
                    sent = sent with { Key = FuzzText.Replace(sent.Key, at, 'q') };
                    break;
                case 2:
                    sent = sent with { Query = [.. sent.Query, ("response-content-type", "text/html", true)] };
                    break;
                case 3 when r.Query.Length > 0:
                    sent = sent with { Query = sent.Query[1..] };
                    break;
                case 4:
                    sent = sent with { Query = [.. sent.Query.Select(q => q.Name == "X-Amz-Expires" ? (q.Name, (expires == 604_800 ? expires - 1 : expires + 1).ToString(CultureInfo.InvariantCulture), true) : q)] };
                    break;
                case 5 when headers.Count > 1:
                    sentHeaders = [.. headers.Select(h => h.Name == "host" ? h : (h.Name, new[] { h.Values[0] + "!" }))];
                    break;
                case 6:
                    var i = at % 64;
                    sentSignature = signature[..i] + (signature[i] == 'a' ? 'b' : 'a') + signature[(i + 1)..];
                    break;
                case 7:
                    sent = sent with { Query = [.. sent.Query.Select(q => q.Name == "X-Amz-Credential" ? (q.Name, $"{AccessKey}/{AmzDates.ToScopeDate(r.When)}/{r.Region}z/s3/aws4_request", true) : q)] };
                    break;
                case 8:
                    sentHeaders = [.. headers, ("x-amz-meta-added", ["x"])];
                    break;
                default:
                    mutate = -1;
                    break;
            }

            var target = sent.RawTarget() + "&X-Amz-Signature=" + sentSignature;

            var h = new HeaderDictionary();
            foreach (var (name, values) in sentHeaders)
            {
                h[name] = new StringValues(values);
            }

            if (mutate < 0)
            {
                var result = Authenticate(Authenticator(), sent.Method, target, h);
                Assert.Equal(S3AuthMethod.SigV4Query, result.Identity.Method);
            }
            else
            {
                var e = Assert.Throws<S3Exception>(() => Authenticate(Authenticator(), sent.Method, target, h));
                var expected = mutate == 8 ? S3Errors.AccessDenied : S3Errors.SignatureDoesNotMatch;
                Assert.True(ReferenceEquals(expected, e.Error), $"mutation {mutate}: {e.Error.Code} ({e.Message}), expected {expected.Code}");
            }
        });

    private static readonly Gen<string> _authorizationText = Gen.Frequency(
        (3, Gen.String[Gen.Char[" ,=;/abcAZ09_-"], 0, 40].Select(s => "AWS4-HMAC-SHA256 " + s)),
        (3, Gen.Select(Gen.Int[0, 200], Gen.Char[" ,=;/a4Z\u00e9\0"]).Select(t => (t.Item1, t.Item2))
            .Select(m => (Mutation: m, Header: $"AWS4-HMAC-SHA256 Credential=AK/20260304/eu/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('a', 64)}"))
            .Select(x => Mutate(x.Header, x.Mutation.Item1, x.Mutation.Item2))),
        (1, Gen.String[Gen.Char[' ', '\u00ff'], 0, 60]));

    private static string Mutate(string s, int at, char c)
    {
        var i = at % (s.Length + 1);
        return (at / (s.Length + 1) % 3) switch
        {
            0 => s.Insert(i, c.ToString()),
            1 when i < s.Length => s.Remove(i, 1),
            _ when i < s.Length => s[..i] + c + s[(i + 1)..],
            _ => s + c,
        };
    }

    [Fact]
    public void HeaderParse_AnyText_ParsesOrMalformed() =>
        _authorizationText.Sample(20_000, text =>
        {
            try
            {
                var parsed = SigV4AuthorizationHeader.Parse(text);
                Assert.Contains("host", parsed.SignedHeaders);
                Assert.Equal(64, parsed.Signature.Length);
                Assert.Equal("s3", parsed.Credential.Service);
            }
            catch (S3Exception e) when (e.Error == S3Errors.AuthorizationHeaderMalformed || e.Error == S3Errors.SignatureDoesNotMatch)
            {
            }
        });

    private static readonly Gen<(string AccessKey, string Date, string Region, string[] Signed, string Signature)> _parts =
        from ak in Gen.String[Gen.Char["AKIDZ0129/+=_-"], 1, 24].Where(a => a[0] != '/')
        from date in Gen.Date[new DateTime(1990, 1, 1), new DateTime(2100, 1, 1)]
        from region in Gen.String[Gen.Char["az09-_"], 1, 16]
        from signed in _lower.Array[0, 6]
        from signature in Gen.Byte.Array[32].Select(Convert.ToHexString)
        select (ak, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), region, signed.Append("host").Distinct().ToArray(), signature);

    [Fact]
    public void HeaderParse_FormatThenParse_GivesPartsBack() =>
        Gen.Select(_parts, Gen.Int[0, 3]).Sample(5_000, t =>
        {
            var ((ak, date, region, signed, signature), layout) = t;
            string[] parts = [$"Credential={ak}/{date}/{region}/s3/aws4_request", "SignedHeaders=" + string.Join(';', signed), "Signature=" + signature];
            var header = "AWS4-HMAC-SHA256 " + string.Join(layout % 2 == 0 ? ", " : ",", layout >= 2 ? parts.Reverse() : parts);

            var parsed = SigV4AuthorizationHeader.Parse(header);

            Assert.Equal(new SigV4Credential(ak, date, region, "s3"), parsed.Credential);
            Assert.Equal(signed, parsed.SignedHeaders);
            Assert.Equal(string.Join(';', signed), parsed.SignedHeadersRaw);
            Assert.Equal(signature.ToLowerInvariant(), parsed.Signature);
        });

    [Fact]
    public void AmzDate_FormatThenParse_RoundTrips() =>
        Gen.DateTimeOffset.Select(d => new DateTimeOffset(d.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero)).Sample(5_000, d =>
        {
            Assert.True(AmzDates.TryParse(AmzDates.ToAmzDate(d), out var parsed));
            Assert.Equal(d, parsed);
        });
}
