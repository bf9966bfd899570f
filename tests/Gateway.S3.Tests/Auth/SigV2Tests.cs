using Gateway.S3.Auth;
using Gateway.S3.Auth.SigV2;
using Gateway.S3.Errors;
using Gateway.S3.Routing;
using Microsoft.AspNetCore.Http;
using static Gateway.S3.Tests.Auth.SigV4VectorTests;

namespace Gateway.S3.Tests.Auth;

/// <summary>AWS's Signature Version 2 examples ("Signing and authenticating REST requests") as oracles.</summary>
public sealed class SigV2Tests
{
    private static S3Authenticator V2Authenticator(string baseDomain, DateTimeOffset now) =>
        new(new DelegateCredentialResolver(ak => ak == AccessKey ? Secret : null),
            new S3ProtocolOptions { BaseDomain = baseDomain },
            new FixedTimeProvider(now));

    public static TheoryData<string, string, string, (string, string)[], string, string> Vectors => new()
    {
        {
            "GET", "/photos/puppy.jpg", "awsexamplebucket1.us-west-1.s3.amazonaws.com",
            [("Date", "Tue, 27 Mar 2007 19:36:42 +0000")],
            "us-west-1.s3.amazonaws.com", "qgk2+6Sv9/oM7G3qLEjTH1a1l1g="
        },
        {
            "GET", "/photos/puppy.jpg", "johnsmith.s3.amazonaws.com",
            [("Date", "Tue, 27 Mar 2007 19:36:42 +0000")],
            "s3.amazonaws.com", "bWq2s1WEIj+Ydj0vQ697zp+IXMU="
        },
        {
            "PUT", "/photos/puppy.jpg", "johnsmith.s3.amazonaws.com",
            [("Date", "Tue, 27 Mar 2007 21:15:45 +0000"), ("Content-Type", "image/jpeg"), ("Content-Length", "94328")],
            "s3.amazonaws.com", "MyyxeRY7whkBe+bq8fHCL/2kKUg="
        },
        {
            "GET", "/?prefix=photos&max-keys=50&marker=puppy", "johnsmith.s3.amazonaws.com",
            [("Date", "Tue, 27 Mar 2007 19:42:41 +0000"), ("User-Agent", "Mozilla/5.0")],
            "s3.amazonaws.com", "htDYFYduRNen8P9ZfE/s9SuKy0U="
        },
        {
            "GET", "/?acl", "johnsmith.s3.amazonaws.com",
            [("Date", "Tue, 27 Mar 2007 19:44:46 +0000")],
            "s3.amazonaws.com", "c2WLPFtWHVgbEmeEG93a4cG37dM="
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task AuthenticateAsync_AwsV2Example_Verified(string method, string rawTarget, string host, (string, string)[] headers, string baseDomain, string signature)
    {
        var h = Headers([.. headers, ("Host", host), ("Authorization", $"AWS {AccessKey}:{signature}")]);
        var now = Gateway.S3.Tests.Http.HttpDatesTestAccess.Parse(h.Date.ToString());

        var r = await V2Authenticator(baseDomain, now).AuthenticateAsync(method, S3RequestTarget.Parse(rawTarget, host, baseDomain), h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
        Assert.Equal(S3AuthMethod.SigV2, r.Identity.Method);
        Assert.Null(r.Signing);
    }

    [Fact]
    public void StringToSign_WithAmzHeaders_CanonicalForm()
    {
        var h = Headers(("X-Amz-Date", "Tue, 27 Mar 2007 21:20:26 +0000"), ("Content-Type", "text/plain"));
        h["X-Amz-Meta-ReviewedBy"] = new Microsoft.Extensions.Primitives.StringValues(["joe@example.com", "  jane@example.com "]);
        var target = S3RequestTarget.Parse("/b/k%20x?uploadId=u&partNumber=2&foo=bar");

        var sts = SigV2Signer.StringToSign("PUT", h, "", SigV2Signer.CanonicalResource(target));

        Assert.Equal(
            "PUT\n\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\nx-amz-meta-reviewedby:joe@example.com,jane@example.com\n/b/k%20x?partNumber=2&uploadId=u",
            sts);
    }

    [Fact]
    public async Task AuthenticateAsync_AmzHeaderWithRunsOfSpaces_VerifiedAsBotocoreSignsIt()
    {
        // botocore 1.43 HmacV1Auth (signature_version="s3") signs x-amz-* values stripped only, runs of spaces kept:
        // "x-amz-meta-note:camera  7,   lens 2". The signature below is what it sent for this request.
        var now = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var h = Headers(
            ("Host", "localhost"), ("x-amz-meta-note", "camera  7,   lens 2"), ("Content-Type", "text/plain"), ("Date", "Wed, 04 Mar 2026 05:06:07 GMT"),
            ("Authorization", $"AWS {AccessKey}:4Wkz0db1keAjzD9HIgQCgMB09TA="));

        var r = await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync("PUT", S3RequestTarget.Parse("/master.repo/note.txt"), h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
        Assert.Equal("x-amz-meta-note:camera  7,   lens 2\n", SigV2Signer.CanonicalAmzHeaders(h));
    }

    [Fact]
    public async Task AuthenticateAsync_PresignedV2_VerifiedAndExpires()
    {
        var date = new DateTimeOffset(2007, 3, 28, 0, 0, 0, TimeSpan.Zero);
        var target = "/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620";
        var sts = SigV2Signer.StringToSign("GET", Headers(), "1175139620", "/johnsmith/photos/puppy.jpg");
        var sig = Uri.EscapeDataString(SigV2Signer.Signature(Secret, sts));
        var h = Headers(("Host", "johnsmith.s3.amazonaws.com"));

        var r = await V2Authenticator("s3.amazonaws.com", date).AuthenticateAsync("GET", S3RequestTarget.Parse($"{target}&Signature={sig}", "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), h, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
        var expired = await Assert.ThrowsAsync<S3Exception>(async () =>
            await V2Authenticator("s3.amazonaws.com", DateTimeOffset.FromUnixTimeSeconds(1175139621)).AuthenticateAsync(
                "GET", S3RequestTarget.Parse($"{target}&Signature={sig}", "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), h, CancellationToken.None));
        Assert.Same(S3Errors.AccessDenied, expired.Error);
    }

    [Fact]
    public async Task AuthenticateAsync_PresignedV2WithHeadersInItsQuery_SignedAsHeadersAndTheyReplaceTheSentOnes()
    {
        // botocore's HmacV1QueryAuth signs x-amz-* and Content-Type as headers, then moves them into the query.
        var now = new DateTimeOffset(2007, 3, 28, 0, 0, 0, TimeSpan.Zero);
        var expires = (now.ToUnixTimeSeconds() + 300).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = Headers(("Content-Type", "text/x-signed"), ("x-amz-meta-via", "query"));
        var sts = SigV2Signer.StringToSign("PUT", signed, expires, "/johnsmith/photos/puppy.jpg");
        var signature = Uri.EscapeDataString(SigV2Signer.Signature(Secret, sts));
        string Target(string via) =>
            $"/photos/puppy.jpg?AWSAccessKeyId={AccessKey}&Content-Type=text%2Fx-signed&Expires={expires}&Signature={signature}&x-amz-meta-via={via}";
        var sent = Headers(("Host", "johnsmith.s3.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded"), ("x-amz-meta-via", "header"));

        var r = await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync(
            "PUT", S3RequestTarget.Parse(Target("query"), "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), sent, CancellationToken.None);

        Assert.Equal(AccessKey, r.Identity.AccessKeyId);
        Assert.Equal("text/x-signed", sent.ContentType.ToString());
        Assert.Equal("query", sent["x-amz-meta-via"].ToString());
        var tampered = await Assert.ThrowsAsync<S3Exception>(async () => await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync(
            "PUT", S3RequestTarget.Parse(Target("changed"), "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"),
            Headers(("Host", "johnsmith.s3.amazonaws.com")), CancellationToken.None));
        Assert.Same(S3Errors.SignatureDoesNotMatch, tampered.Error);
    }

    [Theory]
    [InlineData("/master.repo?encoding-type=url", "/master.repo/", true)]
    [InlineData("/master.repo/?encoding-type=url", "/master.repo/", true)]
    [InlineData("/master.repo?uploads", "/master.repo/?uploads", true)]
    [InlineData("/master.repo/key", "/master.repo/key/", false)]
    [InlineData("/master.repo", "/master.repo//", false)]
    public async Task AuthenticateAsync_PathStyleBucketSignedWithTrailingSlash_AcceptedForTheBucketOnly(string rawTarget, string signedResource, bool accepted)
    {
        // boto3 with signature_version="s3" signs a path-style bucket request as "/bucket/" and sends "/bucket".
        var now = new DateTimeOffset(2026, 12, 3, 8, 14, 52, TimeSpan.Zero);
        var date = Gateway.S3.Http.HttpDates.Format(now);
        var signature = SigV2Signer.Signature(Secret, $"GET\n\n\n{date}\n{signedResource}");
        var h = Headers(("Host", "localhost:30600"), ("Date", date), ("Authorization", $"AWS {AccessKey}:{signature}"));

        var attempt = async () => await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync("GET", S3RequestTarget.Parse(rawTarget), h, CancellationToken.None);

        if (accepted)
        {
            Assert.Equal(AccessKey, (await attempt()).Identity.AccessKeyId);
        }
        else
        {
            Assert.Same(S3Errors.SignatureDoesNotMatch, (await Assert.ThrowsAsync<S3Exception>(attempt)).Error);
        }
    }

    [Theory]
    [InlineData(604_800, null)]
    [InlineData(604_801, "AuthorizationQueryParametersError")]
    [InlineData(10L * 365 * 24 * 3600, "AuthorizationQueryParametersError")]
    [InlineData(-1, "AccessDenied")]
    public async Task AuthenticateAsync_PresignedV2Expiry_BoundedToSevenDaysFromNow(long secondsAhead, string? code)
    {
        var now = new DateTimeOffset(2007, 3, 28, 0, 0, 0, TimeSpan.Zero);
        var expires = (now.ToUnixTimeSeconds() + secondsAhead).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sts = SigV2Signer.StringToSign("GET", Headers(), expires, "/johnsmith/photos/puppy.jpg");
        var target = $"/photos/puppy.jpg?AWSAccessKeyId={AccessKey}&Expires={expires}&Signature={Uri.EscapeDataString(SigV2Signer.Signature(Secret, sts))}";
        var h = Headers(("Host", "johnsmith.s3.amazonaws.com"));

        var attempt = async () => await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync(
            "GET", S3RequestTarget.Parse(target, "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), h, CancellationToken.None);

        if (code is null)
        {
            Assert.Equal(AccessKey, (await attempt()).Identity.AccessKeyId);
        }
        else
        {
            var ex = await Assert.ThrowsAsync<S3Exception>(attempt);
            Assert.Equal(code, ex.Error.Code);
            Assert.Equal(code == "AccessDenied" ? "Request has expired" : "Expires must be less than a week (in seconds) that is 604800 from now", ex.Message);
        }
    }

    [Theory]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMX=", "SignatureDoesNotMatch")]
    [InlineData("AWS OTHERKEY:bWq2s1WEIj+Ydj0vQ697zp+IXMU=", "InvalidAccessKeyId")]
    [InlineData("AWS AKIAIOSFODNN7EXAMPLE", "InvalidArgument")]
    [InlineData("AWS :sig", "InvalidArgument")]
    public async Task AuthenticateAsync_V2Negative(string authorization, string code)
    {
        var h = Headers(("Host", "johnsmith.s3.amazonaws.com"), ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"), ("Authorization", authorization));
        var now = new DateTimeOffset(2007, 3, 27, 19, 36, 42, TimeSpan.Zero);

        var ex = await Assert.ThrowsAsync<S3Exception>(async () =>
            await V2Authenticator("s3.amazonaws.com", now).AuthenticateAsync("GET", S3RequestTarget.Parse("/photos/puppy.jpg", "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), h, CancellationToken.None));

        Assert.Equal(code, ex.Error.Code);
    }

    [Fact]
    public async Task AuthenticateAsync_V2Skewed_RequestTimeTooSkewed()
    {
        var h = Headers(("Host", "johnsmith.s3.amazonaws.com"), ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"), ("Authorization", $"AWS {AccessKey}:bWq2s1WEIj+Ydj0vQ697zp+IXMU="));

        var ex = await Assert.ThrowsAsync<S3Exception>(async () =>
            await V2Authenticator("s3.amazonaws.com", new DateTimeOffset(2007, 3, 27, 20, 0, 0, TimeSpan.Zero))
                .AuthenticateAsync("GET", S3RequestTarget.Parse("/photos/puppy.jpg", "johnsmith.s3.amazonaws.com", "s3.amazonaws.com"), h, CancellationToken.None));

        Assert.Same(S3Errors.RequestTimeTooSkewed, ex.Error);
    }
}
