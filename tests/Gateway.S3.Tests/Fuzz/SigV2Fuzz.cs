using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV2;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.S3.Tests.Fuzz;

/// <summary>
/// SigV2 (header <c>AWS AccessKeyId:Signature</c> and presigned query <c>AWSAccessKeyId</c>, <c>Signature</c>,
/// <c>Expires</c>) through <see cref="S3Authenticator"/>: any request signed by <see cref="ReferenceSigner.SignV2"/>
/// (arbitrary access keys, secrets and object keys, path-style or virtual-hosted, the sub-resources SigV2 signs,
/// x-amz-* and x-amz-meta-* headers with printable values and runs of spaces, Content-MD5 and Content-Type or not,
/// Date or x-amz-date) verifies; changes to what it does not sign still verify; any single change to what it signs is
/// refused with the error S3 gives; arbitrary Authorization text and query credentials give S3Exceptions only.
/// </summary>
public sealed class SigV2Fuzz
{
    private const string _baseDomain = "s3.gateway.test";
    private static readonly DateTimeOffset _now = SigV4Fuzz.Now;

    private static S3Authenticator Authenticator(string accessKey, string secret) =>
        new(new DelegateCredentialResolver(ak => ak == accessKey ? secret : null), new S3ProtocolOptions { BaseDomain = _baseDomain }, new FixedTimeProvider(_now));

    /// <summary>What a client signs. <see cref="DateFormat"/>: 0-1 a Date header (RFC 1123, "+0000"), 2-4 x-amz-date (the same two, ISO 8601).</summary>
    internal sealed record Request(
        string AccessKey,
        string Secret,
        string Method,
        string Bucket,
        string Key,
        bool VirtualHosted,
        int PathSpelling,
        (string Name, string Value, bool HasValue)[] SubResources,
        (string Name, string Value, bool HasValue)[] OtherQuery,
        (string Name, string[] Values)[] AmzHeaders,
        string? ContentMd5,
        string? ContentType,
        int DateFormat,
        DateTimeOffset When)
    {
        public bool UsesAmzDate => DateFormat >= 2;

        public string DateText => DateFormat switch
        {
            0 or 2 => When.ToString("r", CultureInfo.InvariantCulture),
            1 or 3 => When.ToString("ddd, dd MMM yyyy HH':'mm':'ss '+0000'", CultureInfo.InvariantCulture),
            _ => When.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
        };

        /// <summary>The x-amz-* headers sent, x-amz-date among them when used.</summary>
        public IEnumerable<(string Name, string[] Values)> SignedAmzHeaders =>
            UsesAmzDate ? AmzHeaders.Append(("x-amz-date", [DateText])) : AmzHeaders;

        public string Host => VirtualHosted ? Bucket + "." + _baseDomain : "gateway.test";

        public string RawPath
        {
            get
            {
                var key = PathSpelling switch
                {
                    1 => Regex.Replace(ReferenceSigner.UriEncode(Key, keepSlash: true), "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant()),
                    2 => string.Concat(Encoding.UTF8.GetBytes(Key).Select(b => "%" + b.ToString("X2", CultureInfo.InvariantCulture))),
                    _ => ReferenceSigner.UriEncode(Key, keepSlash: true),
                };
                return VirtualHosted ? "/" + key : "/" + Bucket + "/" + key;
            }
        }

        /// <summary>The query as sent: the sub-resources and the other parameters interleaved.</summary>
        public IEnumerable<(string Name, string Value, bool HasValue)> Query =>
            OtherQuery.Zip(SubResources).SelectMany(p => new[] { p.First, p.Second })
                .Concat(OtherQuery.Skip(SubResources.Length)).Concat(SubResources.Skip(OtherQuery.Length));

        public string RawTarget(IEnumerable<(string Name, string Value, bool HasValue)>? extra = null)
        {
            var query = string.Join('&', Query.Concat(extra ?? []).Select(p => ReferenceSigner.UriEncode(p.Name, false) + (p.HasValue ? "=" + ReferenceSigner.UriEncode(p.Value, false) : string.Empty)));
            return query.Length == 0 ? RawPath : RawPath + "?" + query;
        }

        /// <summary>AWS's CanonicalizedResource: /bucket, the path as sent, the sub-resources sorted by name with decoded values.</summary>
        public string Resource
        {
            get
            {
                var subResources = string.Join('&', SubResources.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.HasValue ? p.Name + "=" + p.Value : p.Name));
                return (VirtualHosted ? "/" + Bucket : string.Empty) + RawPath + (subResources.Length == 0 ? string.Empty : "?" + subResources);
            }
        }

        public string Sign(string dateLine) =>
            ReferenceSigner.SignV2(Secret, Method, ContentMd5 ?? string.Empty, ContentType ?? string.Empty, dateLine, SignedAmzHeaders, Resource);

        public override string ToString() =>
            $"{Method} {RawTarget()} (Host {Host}) key \"{Key}\" as {AccessKey}/\"{Secret}\", MD5 {ContentMd5 ?? "-"}, type \"{ContentType ?? "-"}\", date \"{DateText}\", headers "
            + string.Join("; ", AmzHeaders.Select(h => h.Name + ": [" + string.Join("|", h.Values.Select(v => "\"" + v + "\"")) + "]"));
    }

    private static readonly Gen<string> _text = Gen.Frequency(
        (6, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (1, Gen.Char["  %+&=/?#;:,"].Select(c => c.ToString())),
        (1, Gen.Char['\u00a0', '\u07ff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32))).Array[0, 12].Select(string.Concat);

    /// <summary>Printable ASCII with runs of spaces anywhere (leading, trailing, inside).</summary>
    private static readonly Gen<string> _headerValue = Gen.Frequency(
        (6, Gen.Char['!', '~'].Select(c => c.ToString())),
        (3, Gen.Int[1, 4].Select(n => new string(' ', n)))).Array[0, 10].Select(string.Concat);

    private static readonly Gen<string> _lower = Gen.String[Gen.Char["abcxyz019-"], 1, 10];

    /// <summary>A name as a client might case it: lower, Title-Case or upper.</summary>
    private static Gen<string> Cased(string name) => Gen.Int[0, 2].Select(c => c switch
    {
        0 => name,
        1 => string.Join('-', name.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..])),
        _ => name.ToUpperInvariant(),
    });

    private static readonly string[] _subResourceNames = [.. SigV2Signer.SubResources];

    internal static readonly Gen<Request> Requests =
        from accessKey in Gen.String[Gen.Char["AKIDZ0129/+=_-:"], 1, 24]
        from secret in _text.Where(s => s.Length > 0)
        from method in Gen.OneOf("GET", "PUT", "HEAD", "DELETE", "POST")
        from bucket in Gen.String[Gen.Char["abc123-"], 3, 12]
        from key in _text.Where(k => k.Length > 0)
        from virtualHosted in Gen.Bool
        from spelling in Gen.Int[0, 2]
        from subResources in Gen.Select(Gen.Int[0, _subResourceNames.Length - 1], _text, Gen.Bool).Array[0, 3]
        from other in Gen.Select(Gen.OneOf(_lower, Gen.OneOf("prefix", "list-type", "encoding-type", "x-id", "max-keys")), _text, Gen.Bool).Array[0, 3]
        from meta in Gen.Select(_lower, _headerValue.Array[1, 2]).Array[0, 3]
        from amz in Gen.Select(Gen.OneOf("x-amz-acl", "x-amz-copy-source", "x-amz-storage-class", "x-amz-tagging", "x-amz-content-sha256"), _headerValue).Array[0, 2]
        from md5 in Gen.Byte.Array[16].Select(Convert.ToBase64String).Null()
        from contentType in Gen.OneOf("text/plain", "application/octet-stream", " text/csv;  charset=utf-8 ", "multipart/form-data; boundary=\"a  b\"").Null()
        from dateFormat in Gen.Int[0, 4]
        from skew in Gen.Int[-600, 600]
        from casing in Gen.Int[0, 2]
        select new Request(
            accessKey,
            secret,
            method,
            bucket,
            key,
            virtualHosted,
            spelling,
            [.. subResources.Select(s => (_subResourceNames[s.Item1], s.Item2, s.Item3 || s.Item2.Length > 0)).DistinctBy(s => s.Item1)],
            // Neither a sub-resource nor a query credential; an empty name without '=' is no parameter at all.
            [.. other.Where(o => !SigV2Signer.SubResources.Contains(o.Item1) && o.Item1 is not ("Signature" or "AWSAccessKeyId" or "Expires"))
                .Select(o => (o.Item1, o.Item3 ? o.Item2 : string.Empty, o.Item3))],
            [.. meta.Select(m => (Name: "x-amz-meta-" + m.Item1, Values: m.Item2))
                .Concat(amz.Select(a => (Name: a.Item1, Values: new[] { a.Item1 == "x-amz-content-sha256" ? S3ContentSha256.UnsignedPayload : a.Item2 })))
                .DistinctBy(h => h.Name)
                .Select(h => (casing switch { 0 => h.Name, 1 => h.Name.ToUpperInvariant(), _ => "X-Amz" + h.Name[5..] }, h.Values))],
            md5,
            contentType,
            dateFormat,
            _now.AddSeconds(skew));

    private static IHeaderDictionary HttpHeaders(Request r, bool withDate = true)
    {
        IHeaderDictionary h = new HeaderDictionary();
        h.Host = r.Host;
        foreach (var (name, values) in r.AmzHeaders)
        {
            h[name] = new StringValues(values);
        }

        if (withDate)
        {
            h[r.UsesAmzDate ? "x-amz-date" : "Date"] = r.DateText;
        }

        if (r.ContentMd5 is not null)
        {
            h.ContentMD5 = r.ContentMd5;
        }

        if (r.ContentType is not null)
        {
            h.ContentType = r.ContentType;
        }

        h.UserAgent = "headers other than x-amz-*, Content-MD5, Content-Type and Date are not signed";
        return h;
    }

    private static S3AuthResult Authenticate(Request r, string rawTarget, IHeaderDictionary headers, string? secret = null) =>
        Authenticator(r.AccessKey, secret ?? r.Secret)
            .AuthenticateAsync(r.Method, S3RequestTarget.Parse(rawTarget, r.Host, _baseDomain), headers, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void Header_SignedByReference_Verifies() =>
        Requests.Sample(3_000, r =>
        {
            var headers = HttpHeaders(r);
            headers.Authorization = $"AWS {r.AccessKey}:{r.Sign(r.UsesAmzDate ? string.Empty : r.DateText)}";
            if (r.UsesAmzDate)
            {
                // Ignored beside x-amz-date, whatever it says.
                headers.Date = _now.AddDays(-3).ToString("r", CultureInfo.InvariantCulture);
            }

            var result = Authenticate(r, r.RawTarget(), headers);

            Assert.Equal(r.AccessKey, result.Identity.AccessKeyId);
            Assert.Equal(S3AuthMethod.SigV2, result.Identity.Method);
        });

    /// <summary>The ways to change one thing of a SigV2 request; the first three are not signed.</summary>
    private enum Mutation
    {
        UnsignedQueryAdded,
        UnsignedHeaderAdded,
        UnsignedHeaderChanged,
        Method,
        KeyCharacter,
        Style,
        SubResourceValue,
        SubResourceAdded,
        SubResourceDropped,
        AmzHeaderValue,
        AmzHeaderAdded,
        AmzHeaderDropped,
        ContentMd5,
        ContentType,
        Date,
        DateSkewed,
        DateMissing,
        SignatureCharacter,
        Secret,
        AccessKey,
    }

    [Fact]
    public void Header_AnySingleMutation_RefusedWithS3Error() =>
        Gen.Select(Requests, Gen.Enum<Mutation>(), Gen.Int[0, 1000], Gen.Char["!az09~"]).Sample(4_000, t =>
        {
            var (r, mutation, at, c) = t;
            var signature = r.Sign(r.UsesAmzDate ? string.Empty : r.DateText);
            var sent = r;
            var secret = r.Secret;
            var accessKey = r.AccessKey;
            var withDate = true;
            (string Name, string Value, bool HasValue)[] extraQuery = [];
            S3Error? expected = S3Errors.SignatureDoesNotMatch;
            switch (mutation)
            {
                case Mutation.UnsignedQueryAdded:
                    extraQuery = [("list-type", "2", true), ("x" + c, "v", at % 2 == 0)];
                    expected = null;
                    break;
                case Mutation.UnsignedHeaderAdded or Mutation.UnsignedHeaderChanged:
                    expected = null;
                    break;
                case Mutation.Method:
                    sent = r with { Method = r.Method == "GET" ? "PUT" : "GET" };
                    break;
                case Mutation.KeyCharacter:
                    sent = r with { Key = FuzzText.Replace(r.Key, at, c) };
                    break;
                case Mutation.Style:
                    // The same bucket and key, sent in the other style: the resource is the same, the Host says so.
                    sent = r with { VirtualHosted = !r.VirtualHosted };
                    expected = null;
                    break;
                case Mutation.SubResourceValue when r.SubResources.Length > 0:
                    var s = r.SubResources[at % r.SubResources.Length];
                    sent = r with { SubResources = [.. r.SubResources.Select(p => p == s ? (p.Name, FuzzText.Replace(p.Value + "v", at, c), true) : p)] };
                    break;
                case Mutation.SubResourceDropped when r.SubResources.Length > 0:
                    sent = r with { SubResources = [.. r.SubResources.Where((_, i) => i != at % r.SubResources.Length)] };
                    break;
                case Mutation.SubResourceAdded or Mutation.SubResourceValue or Mutation.SubResourceDropped:
                    var name = _subResourceNames.Except(r.SubResources.Select(p => p.Name)).ElementAt(at % (_subResourceNames.Length - r.SubResources.Length));
                    sent = r with { SubResources = [.. r.SubResources, (name, at % 2 == 0 ? c.ToString() : string.Empty, at % 2 == 0)] };
                    break;
                case Mutation.AmzHeaderValue when r.AmzHeaders.Length > 0:
                    var h = r.AmzHeaders[at % r.AmzHeaders.Length];
                    sent = r with { AmzHeaders = [.. r.AmzHeaders.Select(x => x == h ? (x.Name, [FuzzText.Replace(x.Values[0] + "v", at, c), .. x.Values[1..]]) : x)] };
                    break;
                case Mutation.AmzHeaderDropped when r.AmzHeaders.Length > 0:
                    sent = r with { AmzHeaders = [.. r.AmzHeaders.Where((_, i) => i != at % r.AmzHeaders.Length)] };
                    break;
                case Mutation.AmzHeaderAdded or Mutation.AmzHeaderValue or Mutation.AmzHeaderDropped:
                    sent = r with { AmzHeaders = [.. r.AmzHeaders, ("x-amz-meta-unsigned-" + at, ["x"])] };
                    break;
                case Mutation.ContentMd5:
                    sent = r with { ContentMd5 = r.ContentMd5 is null ? "1B2M2Y8AsgTpgAmY7PhCfg==" : at % 2 == 0 ? null : FuzzText.Replace(r.ContentMd5, at, c) };
                    break;
                case Mutation.ContentType:
                    sent = r with { ContentType = r.ContentType is null ? "text/plain" : at % 2 == 0 ? null : r.ContentType + c };
                    break;
                case Mutation.Date:
                    sent = r with { When = r.When.AddSeconds(at % 2 == 0 ? 1 : -1) };
                    break;
                case Mutation.DateSkewed:
                    sent = r with { When = _now.AddMinutes(at % 2 == 0 ? 16 : -16) };
                    expected = S3Errors.RequestTimeTooSkewed;
                    break;
                case Mutation.DateMissing:
                    withDate = false;
                    expected = S3Errors.AccessDenied;
                    break;
                case Mutation.SignatureCharacter:
                    var i = at % signature.Length;
                    signature = signature[..i] + (signature[i] == 'A' ? 'B' : 'A') + signature[(i + 1)..];
                    break;
                case Mutation.Secret:
                    secret = r.Secret + c;
                    break;
                case Mutation.AccessKey:
                    accessKey = r.AccessKey + c;
                    expected = S3Errors.InvalidAccessKeyId;
                    break;
            }

            var headers = HttpHeaders(sent, withDate);
            headers.Authorization = $"AWS {accessKey}:{signature}";
            switch (mutation)
            {
                case Mutation.UnsignedHeaderAdded:
                    headers["X-Custom"] = "  not  signed  ";
                    headers.ContentLength = at;
                    break;
                case Mutation.UnsignedHeaderChanged:
                    headers.UserAgent = "changed";
                    if (r.UsesAmzDate)
                    {
                        headers.Date = "not a date";
                    }

                    break;
            }

            var attempt = () => Authenticate(sent, sent.RawTarget(extraQuery), headers, secret);
            if (expected is null)
            {
                Assert.Equal(r.AccessKey, attempt().Identity.AccessKeyId);
            }
            else
            {
                var e = Assert.Throws<S3Exception>(attempt);
                Assert.True(ReferenceEquals(expected, e.Error), $"{mutation}: {e.Error.Code} ({e.Message}), expected {expected.Code}");
            }
        });

    [Fact]
    public void Presigned_SignedByReference_VerifiesAndAnyMutationRefused() =>
        Gen.Select(Requests, Gen.Int[1, 604_800], Gen.Int[-1, 11], Gen.Int[0, 1000]).Sample(3_000, t =>
        {
            var (r0, lifetime, mutate, at) = t;
            // A presigned request has no date of its own: Expires takes the date line.
            var r = r0 with { DateFormat = 0 };
            var expires = _now.ToUnixTimeSeconds() + lifetime;
            var expiresText = expires.ToString(CultureInfo.InvariantCulture);
            var signature = r.Sign(expiresText);

            // -1: as signed; 0-11: one change.
            var sent = r;
            var sentExpires = expiresText;
            var sentSignature = signature;
            var sentAccessKey = r.AccessKey;
            string? authorization = null;
            S3Error? expected = S3Errors.SignatureDoesNotMatch;
            switch (mutate)
            {
                case 0:
                    sent = r with { Method = r.Method == "GET" ? "PUT" : "GET" };
                    break;
                case 1:
                    sent = r with { Key = FuzzText.Replace(r.Key, at, 'q') };
                    break;
                case 2:
                    sent = r with { SubResources = r.SubResources.Length > 0 ? r.SubResources[1..] : [("response-content-type", "text/html", true)] };
                    break;
                case 3:
                    sent = r with { AmzHeaders = [.. r.AmzHeaders, ("x-amz-meta-added", ["x"])] };
                    break;
                case 4:
                    sentExpires = (lifetime == 604_800 ? expires - 1 : expires + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                case 5:
                    var i = at % signature.Length;
                    sentSignature = signature[..i] + (signature[i] == 'A' ? 'B' : 'A') + signature[(i + 1)..];
                    break;
                case 6:
                    sentExpires = (_now.ToUnixTimeSeconds() - 1 - (at * 1000)).ToString(CultureInfo.InvariantCulture);
                    expected = S3Errors.AccessDenied;
                    break;
                case 7:
                    sentExpires = (_now.ToUnixTimeSeconds() + 604_801 + (at * at * at)).ToString(CultureInfo.InvariantCulture);
                    expected = S3Errors.AuthorizationQueryParametersError;
                    break;
                case 8:
                    sentExpires = at % 2 == 0 ? "soon" : string.Empty;
                    expected = S3Errors.AccessDenied;
                    break;
                case 9:
                    sentAccessKey = r.AccessKey + "x";
                    expected = S3Errors.InvalidAccessKeyId;
                    break;
                case 10:
                    authorization = $"AWS {r.AccessKey}:{signature}";
                    expected = S3Errors.InvalidArgument;
                    break;
                case 11:
                    sent = r with { ContentType = r.ContentType is null ? "text/plain" : null };
                    break;
                default:
                    expected = null;
                    break;
            }

            (string, string, bool)[] credentials = [("AWSAccessKeyId", sentAccessKey, true), ("Expires", sentExpires, true), ("Signature", sentSignature, true)];
            var headers = HttpHeaders(sent, withDate: false);
            if (authorization is not null)
            {
                headers.Authorization = authorization;
            }

            var attempt = () => Authenticate(sent, sent.RawTarget(at % 2 == 0 ? credentials : credentials.Reverse()), headers);
            if (expected is null)
            {
                var result = attempt();
                Assert.Equal(r.AccessKey, result.Identity.AccessKeyId);
                Assert.Equal(S3AuthMethod.SigV2, result.Identity.Method);
            }
            else
            {
                var e = Assert.Throws<S3Exception>(attempt);
                Assert.True(ReferenceEquals(expected, e.Error), $"mutation {mutate}: {e.Error.Code} ({e.Message}), expected {expected.Code}");
            }
        });

    private static readonly Gen<string> _authorizationText = Gen.Frequency(
        (3, Gen.String[Gen.Char[" :=+/AKaz09\u00e9\0"], 0, 40].Select(s => "AWS " + s)),
        (3, Gen.Select(Gen.Int[0, 200], Gen.Char[" :=+/a4Z\u00e9\0"], Gen.Int[0, 2]).Select(m => Mutate("AWS AKIDFUZZ:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", m.Item1, m.Item2, m.Item3))),
        (1, Gen.String[Gen.Char[' ', '\u00ff'], 1, 60]));

    private static string Mutate(string s, int at, char c, int kind)
    {
        var i = at % (s.Length + 1);
        return kind switch
        {
            0 => s.Insert(i, c.ToString()),
            1 when i < s.Length => s.Remove(i, 1),
            _ when i < s.Length => s[..i] + c + s[(i + 1)..],
            _ => s + c,
        };
    }

    /// <summary>The errors a SigV2 header that is not a good signature may get.</summary>
    private static readonly HashSet<S3Error> _v2HeaderErrors = [S3Errors.InvalidArgument, S3Errors.InvalidAccessKeyId, S3Errors.SignatureDoesNotMatch];

    [Fact]
    public void AnyAuthorizationText_S3ExceptionOnly() =>
        Gen.Select(_authorizationText, Gen.Bool).Sample(10_000, t =>
        {
            var (text, amzDate) = t;
            IHeaderDictionary headers = new HeaderDictionary();
            headers.Authorization = text;
            headers.Host = "gateway.test";
            headers[amzDate ? "x-amz-date" : "Date"] = _now.ToString("r", CultureInfo.InvariantCulture);
            headers["x-amz-content-sha256"] = S3ContentSha256.UnsignedPayload;
            try
            {
                Authenticator("AKIDFUZZ", "secret").AuthenticateAsync("GET", S3RequestTarget.Parse("/b/k"), headers, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                Assert.Fail("accepted " + text);
            }
            catch (S3Exception e) when (!text.StartsWith("AWS ", StringComparison.Ordinal) || _v2HeaderErrors.Contains(e.Error))
            {
            }
        });

    [Fact]
    public void AnyQueryCredentials_S3ExceptionOnly() =>
        Gen.Select(_text, _text, Gen.OneOf(_text, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)), Gen.Int[-10, 700_000].Select(d => (_now.ToUnixTimeSeconds() + d).ToString(CultureInfo.InvariantCulture)))).Sample(5_000, t =>
        {
            var (accessKey, signature, expires) = t;
            var target = "/b/k?AWSAccessKeyId=" + ReferenceSigner.UriEncode(accessKey, false) + "&Signature=" + ReferenceSigner.UriEncode(signature, false) + "&Expires=" + ReferenceSigner.UriEncode(expires, false);
            var e = Assert.Throws<S3Exception>(() =>
                Authenticator("AKIDFUZZ", "secret").AuthenticateAsync("GET", S3RequestTarget.Parse(target), new HeaderDictionary(), CancellationToken.None).AsTask().GetAwaiter().GetResult());
            Assert.True(
                e.Error == S3Errors.AccessDenied || e.Error == S3Errors.AuthorizationQueryParametersError || e.Error == S3Errors.InvalidAccessKeyId || e.Error == S3Errors.SignatureDoesNotMatch,
                $"{e.Error.Code}: {e.Message}");
        });
}
