using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;

namespace Gateway.S3.Tests.Auth;

/// <summary>AWS's published S3 SigV4 examples ("Examples of signature calculations") as oracles.</summary>
public sealed class SigV4VectorTests
{
    internal const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    internal const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    internal const string Host = "examplebucket.s3.amazonaws.com";
    internal static readonly DateTimeOffset Now = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    internal static S3Authenticator Authenticator(IS3CredentialResolver? resolver = null, DateTimeOffset? now = null) =>
        new(resolver ?? new DelegateCredentialResolver(ak => ak == AccessKey ? Secret : null),
            Options(),
            new FixedTimeProvider(now ?? Now));

    internal static S3ProtocolOptions Options() => new() { BaseDomain = "s3.amazonaws.com" };

    internal static IHeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var h = new HeaderDictionary();
        foreach (var (n, v) in headers)
        {
            h[n] = v;
        }

        return h;
    }

    internal static string AuthHeader(string signedHeaders, string signature) =>
        $"AWS4-HMAC-SHA256 Credential={AccessKey}/20130524/us-east-1/s3/aws4_request,SignedHeaders={signedHeaders},Signature={signature}";

    public static TheoryData<string, string, (string, string)[], string, string> Vectors => new()
    {
        {
            "GET", "/test.txt",
            [("Range", "bytes=0-9"), ("x-amz-content-sha256", S3ContentSha256.EmptySha256), ("x-amz-date", "20130524T000000Z")],
            "host;range;x-amz-content-sha256;x-amz-date",
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        },
        {
            "PUT", "/test%24file.text",
            [
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
            ],
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        },
        {
            "GET", "/?lifecycle",
            [("x-amz-content-sha256", S3ContentSha256.EmptySha256), ("x-amz-date", "20130524T000000Z")],
            "host;x-amz-content-sha256;x-amz-date",
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
        },
        {
            "GET", "/?max-keys=2&prefix=J",
            [("x-amz-content-sha256", S3ContentSha256.EmptySha256), ("x-amz-date", "20130524T000000Z")],
            "host;x-amz-content-sha256;x-amz-date",
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task AuthenticateAsync_AwsExample_Verified(string method, string rawTarget, (string, string)[] headers, string signedHeaders, string signature)
    {
        var h = Headers([.. headers, ("Host", Host), ("Authorization", AuthHeader(signedHeaders, signature))]);
        var target = S3RequestTarget.Parse(rawTarget, Host, "s3.amazonaws.com");

        var result = await Authenticator().AuthenticateAsync(method, target, h, CancellationToken.None);

        Assert.Equal(AccessKey, result.Identity.AccessKeyId);
        Assert.Equal(S3AuthMethod.SigV4Header, result.Identity.Method);
        Assert.NotNull(result.Signing);
        Assert.Equal(signature, result.Signing!.SeedSignature);
        Assert.Equal("20130524/us-east-1/s3/aws4_request", result.Signing.Scope);
        Assert.Equal(S3PayloadMode.Sha256, result.PayloadMode);
    }

    [Fact]
    public void CanonicalRequest_GetObjectExample_MatchesAwsText()
    {
        var h = Headers(("Host", Host), ("Range", "bytes=0-9"), ("x-amz-content-sha256", S3ContentSha256.EmptySha256), ("x-amz-date", "20130524T000000Z"));

        var cr = SigV4Signer.CanonicalRequest("GET", SigV4Signer.CanonicalUri("/test.txt"), SigV4Signer.CanonicalQuery(""),
            ["host", "range", "x-amz-content-sha256", "x-amz-date"], n => h[n].ToString(), S3ContentSha256.EmptySha256);

        Assert.Equal(
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            cr);
        Assert.Equal("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972", SigV4Signer.Sha256Hex(cr));
    }

    [Theory]
    [InlineData("/test$file.text", "/test%24file.text")]
    [InlineData("/b/a%2Fb", "/b/a/b")]
    [InlineData("/b/a%252Fb", "/b/a%252Fb")]
    [InlineData("/b/a b", "/b/a%20b")]
    [InlineData("/b/a+b", "/b/a%2Bb")]
    [InlineData("/b/%e2%9c%93", "/b/%E2%9C%93")]
    [InlineData("/b/./x/../y", "/b/./x/../y")]
    [InlineData("/b/a//c/", "/b/a//c/")]
    [InlineData("/b/~a-b_c.d", "/b/~a-b_c.d")]
    [InlineData("", "/")]
    public void CanonicalUri_DecodeOnceReencode_NoNormalisation(string raw, string expected)
    {
        Assert.Equal(expected, SigV4Signer.CanonicalUri(raw));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("uploads", "uploads=")]
    [InlineData("prefix=J&max-keys=2", "max-keys=2&prefix=J")]
    [InlineData("a=2&a=1&b", "a=1&a=2&b=")]
    [InlineData("prefix=a%2fb&delimiter=/", "delimiter=%2F&prefix=a%2Fb")]
    [InlineData("k=a b+c", "k=a%20b%2Bc")]
    [InlineData("k=%7e", "k=~")]
    [InlineData("X-Amz-Signature=abc&x=1", "x=1")]
    [InlineData("?x=1", "%3Fx=1")]
    public void CanonicalQuery_SortedAndReencoded(string raw, string expected)
    {
        Assert.Equal(expected, SigV4Signer.CanonicalQuery(raw, exclude: "X-Amz-Signature"));
    }

    [Theory]
    [InlineData("  a   b  ", "a b")]
    [InlineData("a\t\tb", "a b")]
    [InlineData("\"a  b\"", "\"a b\"")]
    public void CanonicalHeaderValue_TrimsAndCollapses(string raw, string expected)
    {
        Assert.Equal(expected, SigV4Signer.CanonicalHeaderValue(raw));
    }

    [Fact]
    public void SigningKey_AwsExample_Matches()
    {
        var key = SigV4Signer.SigningKey(Secret, "20130524", "us-east-1", "s3");
        var sts = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972";

        Assert.Equal("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", SigV4Signer.Signature(key, sts));
    }
}
