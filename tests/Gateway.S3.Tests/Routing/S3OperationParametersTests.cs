using Gateway.S3.Routing;

namespace Gateway.S3.Tests.Routing;

/// <summary>
/// The query parameters each operation accepts (<see cref="S3OperationClassifier"/>): a sub-resource the operation does
/// not take never runs the plain operation, while what real clients send still classifies.
/// </summary>
public sealed class S3OperationParametersTests
{
    private static S3OperationMatch Classify(string method, string target, bool copySource = false) =>
        S3OperationClassifier.Classify(method, S3RequestTarget.Parse(target), copySource);

    /// <summary>Presence-only (or empty) parameters no operation here takes, and served sub-resources on the wrong method.</summary>
    [Theory]
    [InlineData("DELETE", "/b?anything", "anything")]
    [InlineData("DELETE", "/b?anything=", "anything")]
    [InlineData("DELETE", "/b?prefix=x&anything", "anything")]
    [InlineData("DELETE", "/b?versioning", "versioning")]
    [InlineData("DELETE", "/b?delete", "delete")]
    [InlineData("DELETE", "/b?uploads", "uploads")]
    [InlineData("DELETE", "/b?location", "location")]
    [InlineData("DELETE", "/b?versions", "versions")]
    [InlineData("DELETE", "/b?list-type=2", "list-type")]
    [InlineData("DELETE", "/b?uploadId=u", "uploadId")]
    [InlineData("PUT", "/b?uploads", "uploads")]
    [InlineData("PUT", "/b?location", "location")]
    [InlineData("PUT", "/b?futureConfiguration", "futureConfiguration")]
    [InlineData("HEAD", "/b?location", "location")]
    [InlineData("GET", "/b?uploadId=u", "uploadId")]
    [InlineData("GET", "/b?versionId=v", "versionId")]
    [InlineData("GET", "/b?unknownSubresource", "unknownSubresource")]
    [InlineData("DELETE", "/b/k?foo", "foo")]
    [InlineData("DELETE", "/b/k?versions", "versions")]
    [InlineData("DELETE", "/b/k?uploads", "uploads")]
    [InlineData("DELETE", "/b/k?partNumber=1", "partNumber")]
    [InlineData("PUT", "/b/k?uploads", "uploads")]
    [InlineData("PUT", "/b/k?versionId=v", "versionId")]
    [InlineData("PUT", "/b/k?partNumber=1", "partNumber")]
    [InlineData("PUT", "/b/k?renameSource", "renameSource")]
    [InlineData("PUT", "/b/k?x", "x")]
    [InlineData("PUT", "/b/k?x", "x", true)]
    [InlineData("GET", "/b/k?uploadId=u&partNumber=1", "partNumber")]
    [InlineData("GET", "/b/k?versions", "versions")]
    [InlineData("GET", "/b/k?checksum", "checksum")]
    [InlineData("HEAD", "/b/k?uploads", "uploads")]
    [InlineData("POST", "/b?delete&uploads", "uploads")]
    [InlineData("POST", "/b/k?uploads&uploadId=u", "uploadId")]
    [InlineData("DELETE", "/b/k?uploadId=u&tagging", "tagging")]
    [InlineData("GET", "/?acl", "acl")]
    [InlineData("GET", "/?anything", "anything")]
    public void Classify_SubresourceTheOperationDoesNotTake_NotImplementedNamingIt(string method, string target, string feature, bool copySource = false)
    {
        var match = Classify(method, target, copySource);

        Assert.Equal(new S3OperationMatch(S3Operation.NotImplemented, feature), match);
    }

    /// <summary>Known S3 configuration sub-resources never delete or create the bucket or object they name.</summary>
    [Theory]
    [InlineData("lifecycle")]
    [InlineData("policy")]
    [InlineData("cors")]
    [InlineData("tagging")]
    [InlineData("website")]
    [InlineData("encryption")]
    [InlineData("replication")]
    [InlineData("ownershipControls")]
    [InlineData("publicAccessBlock")]
    [InlineData("intelligent-tiering")]
    [InlineData("analytics")]
    [InlineData("metrics")]
    [InlineData("inventory")]
    [InlineData("notification")]
    [InlineData("logging")]
    [InlineData("accelerate")]
    [InlineData("requestPayment")]
    [InlineData("object-lock")]
    [InlineData("legal-hold")]
    [InlineData("retention")]
    [InlineData("acl")]
    [InlineData("torrent")]
    [InlineData("restore")]
    [InlineData("select")]
    [InlineData("attributes")]
    public void Classify_KnownSubresourceOnEveryMethod_NeverThePlainOperation(string subresource)
    {
        foreach (var method in new[] { "GET", "HEAD", "PUT", "POST", "DELETE" })
        {
            foreach (var target in new[] { $"/b?{subresource}", $"/b?{subresource}=", $"/b?{subresource}=x", $"/b/k?{subresource}", $"/b/k?id=1&{subresource}" })
            {
                var match = Classify(method, target);

                if (subresource == "tagging" && target.StartsWith("/b/k", StringComparison.Ordinal) && method != "POST" && method != "HEAD")
                {
                    // Object tagging is served: GET, PUT and DELETE /b/k?tagging.
                    Assert.Contains("Tagging", match.Operation.ToString(), StringComparison.Ordinal);
                    continue;
                }

                Assert.True(match is { Operation: S3Operation.NotImplemented, Feature: var f } && f == subresource, $"{method} {target}: {match}");
            }
        }
    }

    /// <summary>What SDKs, the CLI, presigners and browsers put in the query besides the operation's own parameters.</summary>
    [Theory]
    [InlineData("GET", "/b/k?x-id=GetObject", S3Operation.GetObject)]
    [InlineData("PUT", "/b/k?x-id=PutObject", S3Operation.PutObject)]
    [InlineData("PUT", "/b/k?x-id=CopyObject", S3Operation.CopyObject, true)]
    [InlineData("POST", "/b?delete&x-id=DeleteObjects", S3Operation.DeleteObjects)]
    [InlineData("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00", S3Operation.GetObject)]
    [InlineData("PUT", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=t&x-amz-acl=private&x-amz-checksum-crc32=AAAAAA%3D%3D&X-Amz-Signature=00", S3Operation.PutObject)]
    [InlineData("GET", "/b/k?AWSAccessKeyId=a&Expires=1&Signature=s", S3Operation.GetObject)]
    [InlineData("DELETE", "/b?AWSAccessKeyId=a&Expires=1&Signature=s", S3Operation.DeleteBucket)]
    [InlineData("GET", "/b/k?response-content-type=a%2Fb&response-content-disposition=attachment&response-cache-control=no&response-content-encoding=gzip&response-content-language=en&response-expires=0&versionId=v&partNumber=1", S3Operation.GetObject)]
    [InlineData("HEAD", "/b/k?response-content-type=a%2Fb&versionId=v&partNumber=1", S3Operation.HeadObject)]
    [InlineData("GET", "/b?list-type=2&prefix=&delimiter=%2F&encoding-type=url&max-keys=10&continuation-token=t&start-after=a&fetch-owner=true", S3Operation.ListObjectsV2)]
    [InlineData("GET", "/b?list-type=2&prefix=&metadata=true", S3Operation.ListObjectsV2)]
    [InlineData("GET", "/b?prefix=&delimiter=&marker=&max-keys=1000&encoding-type=url", S3Operation.ListObjects)]
    [InlineData("GET", "/b?versions&prefix=&delimiter=%2F&key-marker=&version-id-marker=&max-keys=1&encoding-type=url", S3Operation.ListObjectVersions)]
    [InlineData("GET", "/b?uploads&prefix=&delimiter=&key-marker=&upload-id-marker=&max-uploads=1&encoding-type=url", S3Operation.ListMultipartUploads)]
    [InlineData("GET", "/b/k?uploadId=u&max-parts=1&part-number-marker=0", S3Operation.ListParts)]
    [InlineData("GET", "/?max-buckets=10&continuation-token=t&prefix=p&bucket-region=us-east-1", S3Operation.ListBuckets)]
    [InlineData("GET", "/b?location=", S3Operation.GetBucketLocation)]
    [InlineData("PUT", "/b?versioning=", S3Operation.PutBucketVersioning)]
    [InlineData("PUT", "/b/k?partNumber=2&uploadId=u&x-id=UploadPart", S3Operation.UploadPart)]
    [InlineData("PUT", "/b/k?partNumber=2&uploadId=u", S3Operation.UploadPartCopy, true)]
    [InlineData("POST", "/b/k?uploads=&x-id=CreateMultipartUpload", S3Operation.CreateMultipartUpload)]
    [InlineData("POST", "/b/k?uploadId=u", S3Operation.CompleteMultipartUpload)]
    [InlineData("DELETE", "/b/k?uploadId=u&x-id=AbortMultipartUpload", S3Operation.AbortMultipartUpload)]
    [InlineData("DELETE", "/b/k?versionId=v&x-id=DeleteObject", S3Operation.DeleteObject)]
    [InlineData("PUT", "/b/k?tagging&versionId=v", S3Operation.PutObjectTagging)]
    [InlineData("GET", "/b/k?cachebuster=1234", S3Operation.GetObject)]
    [InlineData("DELETE", "/b?anything=1", S3Operation.DeleteBucket)]
    public void Classify_WhatClientsSend_Classified(string method, string target, S3Operation expected, bool copySource = false)
    {
        Assert.Equal(new S3OperationMatch(expected), Classify(method, target, copySource));
    }

    /// <summary>A served operation without its list of parameters would take any sub-resource: every one has a list.</summary>
    [Fact]
    public void EveryOperation_HasItsParameters()
    {
        var unlisted = Enum.GetValues<S3Operation>()
            .Where(o => o is not (S3Operation.Unknown or S3Operation.NotImplemented or S3Operation.MethodNotAllowed))
            .Where(o => !S3OperationParameters.Covers(o));

        Assert.Empty(unlisted);
    }
}
