using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV4;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using static Gateway.S3.Tests.Auth.SigV4VectorTests;

namespace Gateway.S3.Tests.Auth;

public sealed class S3AuthenticatorTests
{
    internal const string GoodSig = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
    internal const string GoodSigned = "host;range;x-amz-content-sha256;x-amz-date";

    private static IHeaderDictionary GetObjectHeaders(string? authorization = null, string amzDate = "20130524T000000Z", string? sha = S3ContentSha256.EmptySha256)
    {
        var h = Headers(("Host", Host), ("Range", "bytes=0-9"), ("x-amz-date", amzDate), ("Authorization", authorization ?? AuthHeader(GoodSigned, GoodSig)));
        if (sha is not null)
        {
            h["x-amz-content-sha256"] = sha;
        }

        return h;
    }

    private static Task<S3Exception> Fails(IHeaderDictionary h, string target = "/test.txt", S3Authenticator? auth = null, string method = "GET") =>
        Assert.ThrowsAsync<S3Exception>(async () =>
            await (auth ?? Authenticator()).AuthenticateAsync(method, S3RequestTarget.Parse(target, Host, "s3.amazonaws.com"), h, CancellationToken.None));

    [Fact]
    public async Task AuthenticateAsync_NoAuthorization_Anonymous()
    {
        var h = Headers(("Host", Host));

        var r = await Authenticator().AuthenticateAsync("GET", S3RequestTarget.Parse("/x"), h, CancellationToken.None);

        Assert.True(r.Identity.IsAnonymous);
        Assert.Same(S3Identity.Anonymous, r.Identity);
        Assert.Null(r.Signing);
        Assert.Equal(S3PayloadMode.None, r.PayloadMode);
        Assert.Throws<S3Exception>(r.Identity.RequireAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_AnonymousWithSha256_PayloadModeKept()
    {
        var h = Headers(("Host", Host), ("x-amz-content-sha256", S3ContentSha256.EmptySha256.ToUpperInvariant()));

        var r = await Authenticator().AuthenticateAsync("PUT", S3RequestTarget.Parse("/b/x"), h, CancellationToken.None);

        Assert.Equal(S3PayloadMode.Sha256, r.PayloadMode);
        Assert.Equal(S3ContentSha256.EmptySha256, r.PayloadSha256);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongSignature_SignatureDoesNotMatch()
    {
        var ex = await Fails(GetObjectHeaders(AuthHeader(GoodSigned, new string('0', 64))));

        Assert.Same(S3Errors.SignatureDoesNotMatch, ex.Error);
        Assert.Empty(ex.Details);
    }

    [Fact]
    public async Task AuthenticateAsync_TamperedSignedHeader_SignatureDoesNotMatch()
    {
        var h = GetObjectHeaders();
        h.Range = "bytes=0-10";

        Assert.Same(S3Errors.SignatureDoesNotMatch, (await Fails(h)).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_TamperedPath_SignatureDoesNotMatch()
    {
        Assert.Same(S3Errors.SignatureDoesNotMatch, (await Fails(GetObjectHeaders(), "/test.txu")).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_TamperedMethod_SignatureDoesNotMatch()
    {
        Assert.Same(S3Errors.SignatureDoesNotMatch, (await Fails(GetObjectHeaders(), method: "HEAD")).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_UnknownAccessKey_InvalidAccessKeyId()
    {
        var h = GetObjectHeaders(AuthHeader(GoodSigned, GoodSig).Replace(AccessKey, "NOPE", StringComparison.Ordinal));

        Assert.Same(S3Errors.InvalidAccessKeyId, (await Fails(h)).Error);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-16)]
    public async Task AuthenticateAsync_ClockSkewBeyond15Minutes_RequestTimeTooSkewed(int minutes)
    {
        var ex = await Fails(GetObjectHeaders(), auth: Authenticator(now: Now.AddMinutes(minutes)));

        Assert.Same(S3Errors.RequestTimeTooSkewed, ex.Error);
    }

    [Fact]
    public async Task AuthenticateAsync_SkewWithin15Minutes_Accepted()
    {
        var r = await Authenticator(now: Now.AddMinutes(14)).AuthenticateAsync("GET", S3RequestTarget.Parse("/test.txt", Host, "s3.amazonaws.com"), GetObjectHeaders(), CancellationToken.None);

        Assert.False(r.Identity.IsAnonymous);
    }

    [Fact]
    public async Task AuthenticateAsync_MissingContentSha256_InvalidRequest()
    {
        var ex = await Fails(GetObjectHeaders(sha: null));

        Assert.Same(S3Errors.InvalidRequest, ex.Error);
        Assert.Contains("x-amz-content-sha256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_GarbageContentSha256_InvalidArgument()
    {
        Assert.Same(S3Errors.InvalidArgument, (await Fails(GetObjectHeaders(sha: "abc"))).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_BadAmzDate_AccessDenied()
    {
        Assert.Same(S3Errors.AccessDenied, (await Fails(GetObjectHeaders(amzDate: "yesterday"))).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_CredentialDateDiffers_AuthorizationHeaderMalformed()
    {
        var h = GetObjectHeaders(AuthHeader(GoodSigned, GoodSig).Replace("/20130524/", "/20130525/", StringComparison.Ordinal));

        Assert.Same(S3Errors.AuthorizationHeaderMalformed, (await Fails(h)).Error);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3,SignedHeaders=host,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,SignedHeaders=host,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request,SignedHeaders=host,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013-05-24/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=range;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=Host,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")]
    [InlineData("AWS4-HMAC-SHA256 Foo=bar")]
    [InlineData("AWS4-HMAC-SHA256 Credential")]
    public async Task AuthenticateAsync_MalformedHeader_AuthorizationHeaderMalformed(string authorization)
    {
        Assert.Same(S3Errors.AuthorizationHeaderMalformed, (await Fails(GetObjectHeaders(authorization))).Error);
    }

    [Fact]
    public async Task AuthenticateAsync_SpacesAfterCommas_Accepted()
    {
        var auth = $"AWS4-HMAC-SHA256 Credential={AccessKey}/20130524/us-east-1/s3/aws4_request, SignedHeaders={GoodSigned}, Signature={GoodSig}";

        var r = await Authenticator().AuthenticateAsync("GET", S3RequestTarget.Parse("/test.txt", Host, "s3.amazonaws.com"), GetObjectHeaders(auth), CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
    }

    [Theory]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", 403)]
    [InlineData("AWS4-ECDSA-P256-SHA256 Credential=x", 501)]
    [InlineData("Bearer xyz", 400)]
    public async Task AuthenticateAsync_OtherSchemes_ClearErrors(string authorization, int status)
    {
        Assert.Equal(status, (await Fails(GetObjectHeaders(authorization))).Error.StatusCode);
    }

    internal const string PresignedQuery =
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    [Fact]
    public async Task AuthenticateAsync_PresignedAwsExample_Verified()
    {
        var r = await Authenticator(now: Now.AddHours(23)).AuthenticateAsync(
            "GET", S3RequestTarget.Parse("/test.txt?" + PresignedQuery, Host, "s3.amazonaws.com"), Headers(("Host", Host)), CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
        Assert.Equal(S3AuthMethod.SigV4Query, r.Identity.Method);
        Assert.Equal(S3PayloadMode.Unsigned, r.PayloadMode);
    }

    [Theory]
    [InlineData(24 * 60 + 1, "AccessDenied")]
    [InlineData(-20, "AccessDenied")]
    public async Task AuthenticateAsync_PresignedOutsideWindow_AccessDenied(int minutesFromSigning, string code)
    {
        var ex = await Fails(Headers(("Host", Host)), "/test.txt?" + PresignedQuery, Authenticator(now: Now.AddMinutes(minutesFromSigning)));

        Assert.Equal(code, ex.Error.Code);
    }

    [Theory]
    [InlineData("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "X-Amz-Signature=beeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", "SignatureDoesNotMatch")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=86401", "SignatureDoesNotMatch")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=604801", "AuthorizationQueryParametersError")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=abc", "AuthorizationQueryParametersError")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1", "AuthorizationQueryParametersError")]
    [InlineData("&X-Amz-SignedHeaders=host", "", "AuthorizationQueryParametersError")]
    [InlineData("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=range", "AuthorizationQueryParametersError")]
    [InlineData("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130524", "AuthorizationQueryParametersError")]
    [InlineData("%2Fs3%2F", "%2Fsqs%2F", "AuthorizationQueryParametersError")]
    public async Task AuthenticateAsync_PresignedTampered_Rejected(string from, string to, string code)
    {
        var query = PresignedQuery.Replace(from, to, StringComparison.Ordinal);

        var ex = await Fails(Headers(("Host", Host)), "/test.txt?" + query, Authenticator(now: Now.AddHours(1)));

        Assert.Equal(code, ex.Error.Code);
    }

    [Theory]
    [InlineData("x-amz-meta-author", "x-amz-meta-author")]
    [InlineData("X-Amz-Copy-Source", "x-amz-copy-source")]
    [InlineData("x-amz-server-side-encryption", "x-amz-server-side-encryption")]
    public async Task AuthenticateAsync_HeaderAuthWithUnsignedAmzHeader_AccessDeniedHeadersNotSigned(string name, string reported)
    {
        var h = GetObjectHeaders();
        h[name] = "added after signing";

        var ex = await Fails(h);

        Assert.Same(S3Errors.AccessDenied, ex.Error);
        Assert.Equal("There were headers present in the request which were not signed", ex.Message);
        Assert.Equal(KeyValuePair.Create("HeadersNotSigned", reported), Assert.Single(ex.Details));
    }

    [Fact]
    public async Task AuthenticateAsync_SeveralUnsignedAmzHeaders_AllNamedSorted()
    {
        var h = GetObjectHeaders();
        h["x-amz-tagging"] = "a=b";
        h["x-amz-acl"] = "public-read";

        var ex = await Fails(h);

        Assert.Equal(KeyValuePair.Create("HeadersNotSigned", "x-amz-acl, x-amz-tagging"), Assert.Single(ex.Details));
    }

    [Theory]
    [InlineData("x-amz-copy-source", "/bucket/secret")]
    [InlineData("x-amz-meta-owner", "mallory")]
    [InlineData("x-amz-decoded-content-length", "5")]
    public async Task AuthenticateAsync_PresignedWithUnsignedAmzHeader_AccessDeniedHeadersNotSigned(string name, string value)
    {
        var h = Headers(("Host", Host), (name, value));

        var ex = await Fails(h, "/test.txt?" + PresignedQuery, Authenticator(now: Now.AddHours(1)));

        Assert.Same(S3Errors.AccessDenied, ex.Error);
        Assert.Equal(KeyValuePair.Create("HeadersNotSigned", name), Assert.Single(ex.Details));
    }

    [Fact]
    public async Task AuthenticateAsync_PresignedWithContentSha256Header_AcceptedBecauseTheQueryDecides()
    {
        // The payload hash of a presigned request is the query's (or UNSIGNED-PAYLOAD); the header changes nothing.
        var h = Headers(("Host", Host), ("x-amz-content-sha256", S3ContentSha256.UnsignedPayload));

        var r = await Authenticator(now: Now.AddHours(1)).AuthenticateAsync(
            "GET", S3RequestTarget.Parse("/test.txt?" + PresignedQuery, Host, "s3.amazonaws.com"), h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
    }

    [Fact]
    public async Task AuthenticateAsync_PresignedPlusAuthorizationHeader_InvalidArgument()
    {
        var ex = await Fails(GetObjectHeaders(), "/test.txt?" + PresignedQuery);

        Assert.Same(S3Errors.InvalidArgument, ex.Error);
    }

    [Fact]
    public async Task AuthenticateAsync_PresignedV2Expired_AccessDenied()
    {
        var ex = await Fails(Headers(("Host", Host)), "/test.txt?AWSAccessKeyId=AK&Expires=1&Signature=abc");

        Assert.Same(S3Errors.AccessDenied, ex.Error);
    }

    [Fact]
    public async Task AuthenticateAsync_AccessKeyIsSecret_AuthOffMode()
    {
        const string token = "tok123";
        var amzDate = "20130524T000000Z";
        var sha = S3ContentSha256.EmptySha256;
        var h = Headers(("Host", "localhost:30600"), ("x-amz-date", amzDate), ("x-amz-content-sha256", sha));
        var target = S3RequestTarget.Parse("/master.repo/dir/a%20b.txt?versionId=c1");
        var cr = SigV4Signer.CanonicalRequest("GET", SigV4Signer.CanonicalUri(target.RawPath), SigV4Signer.CanonicalQuery(target.RawQuery),
            ["host", "x-amz-content-sha256", "x-amz-date"], n => h[n].ToString(), sha);
        var key = SigV4Signer.SigningKey(token, "20130524", "us-east-1", "s3");
        var sig = SigV4Signer.Signature(key, SigV4Signer.StringToSign(amzDate, "20130524/us-east-1/s3/aws4_request", cr));
        h.Authorization = $"AWS4-HMAC-SHA256 Credential={token}/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature={sig}";

        var r = await Authenticator(AccessKeyIsSecretResolver.Instance).AuthenticateAsync("GET", target, h, CancellationToken.None);

        Assert.Equal(token, r.Identity.AccessKeyId);
    }

    [Theory]
    [InlineData("/master.repo/dir%2Ffile.txt", "/master.repo/dir/file.txt")]
    [InlineData("/master.repo/dir%2Ffile.txt", "/master.repo/dir%2Ffile.txt")]
    [InlineData("/master.repo/a%20b/c", "/master.repo/a%20b/c")]
    public async Task AuthenticateAsync_EncodedSlashSignedEitherWay_Accepted(string rawPath, string signedCanonicalUri)
    {
        var sha = S3ContentSha256.EmptySha256;
        var h = Headers(("Host", "localhost"), ("x-amz-date", "20130524T000000Z"), ("x-amz-content-sha256", sha));
        var cr = SigV4Signer.CanonicalRequest("GET", signedCanonicalUri, "", ["host", "x-amz-content-sha256", "x-amz-date"], n => h[n].ToString(), sha);
        var sig = SigV4Signer.Signature(SigV4Signer.SigningKey(Secret, "20130524", "us-east-1", "s3"), SigV4Signer.StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", cr));
        h.Authorization = AuthHeader("host;x-amz-content-sha256;x-amz-date", sig);

        var r = await Authenticator().AuthenticateAsync("GET", S3RequestTarget.Parse(rawPath), h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
    }

    [Fact]
    public async Task AuthenticateAsync_DateHeaderInsteadOfAmzDate_Accepted()
    {
        var sha = S3ContentSha256.EmptySha256;
        var h = Headers(("Host", Host), ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-content-sha256", sha));
        var target = S3RequestTarget.Parse("/test.txt", Host, "s3.amazonaws.com");
        var cr = SigV4Signer.CanonicalRequest("GET", "/test.txt", "", ["date", "host", "x-amz-content-sha256"], n => h[n].ToString(), sha);
        var sig = SigV4Signer.Signature(SigV4Signer.SigningKey(Secret, "20130524", "us-east-1", "s3"), SigV4Signer.StringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", cr));
        h.Authorization = AuthHeader("date;host;x-amz-content-sha256", sig);

        var r = await Authenticator().AuthenticateAsync("GET", target, h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
    }

    [Theory]
    [InlineData("UNSIGNED-PAYLOAD", S3PayloadMode.Unsigned)]
    [InlineData("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", S3PayloadMode.StreamingSigned)]
    [InlineData("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", S3PayloadMode.StreamingSignedTrailer)]
    [InlineData("STREAMING-UNSIGNED-PAYLOAD-TRAILER", S3PayloadMode.StreamingUnsignedTrailer)]
    [InlineData("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", S3PayloadMode.StreamingEcdsa)]
    [InlineData("", S3PayloadMode.None)]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", S3PayloadMode.Sha256)]
    public void ContentSha256Parse_KnownValues(string value, S3PayloadMode mode)
    {
        Assert.Equal(mode, S3ContentSha256.Parse(value));
    }
}
