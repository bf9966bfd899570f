using Gateway.S3.Errors;
using Gateway.S3.Routing;

namespace Gateway.S3.Tests.Routing;

public sealed class S3OperationClassifierTests
{
    [Theory]
    [InlineData("GET", "/", false, S3Operation.ListBuckets)]
    [InlineData("PUT", "/", false, S3Operation.MethodNotAllowed)]
    [InlineData("DELETE", "/", false, S3Operation.MethodNotAllowed)]
    [InlineData("PUT", "/b", false, S3Operation.CreateBucket)]
    [InlineData("PUT", "/b/", false, S3Operation.CreateBucket)]
    [InlineData("DELETE", "/b", false, S3Operation.DeleteBucket)]
    [InlineData("HEAD", "/b", false, S3Operation.HeadBucket)]
    [InlineData("GET", "/b?location", false, S3Operation.GetBucketLocation)]
    [InlineData("GET", "/b?location=", false, S3Operation.GetBucketLocation)]
    [InlineData("GET", "/b?versioning", false, S3Operation.GetBucketVersioning)]
    [InlineData("PUT", "/b?versioning", false, S3Operation.PutBucketVersioning)]
    [InlineData("GET", "/b", false, S3Operation.ListObjects)]
    [InlineData("GET", "/b?prefix=a&delimiter=%2F", false, S3Operation.ListObjects)]
    [InlineData("GET", "/b?list-type=2", false, S3Operation.ListObjectsV2)]
    [InlineData("GET", "/b?list-type=2&prefix=x", false, S3Operation.ListObjectsV2)]
    [InlineData("GET", "/b?versions", false, S3Operation.ListObjectVersions)]
    [InlineData("GET", "/b?uploads", false, S3Operation.ListMultipartUploads)]
    [InlineData("POST", "/b?delete", false, S3Operation.DeleteObjects)]
    [InlineData("POST", "/b?delete=", false, S3Operation.DeleteObjects)]
    [InlineData("POST", "/b", false, S3Operation.NotImplemented)]
    [InlineData("PATCH", "/b", false, S3Operation.MethodNotAllowed)]
    [InlineData("GET", "/b/k", false, S3Operation.GetObject)]
    [InlineData("GET", "/b/k?versionId=abc", false, S3Operation.GetObject)]
    [InlineData("GET", "/b/k?partNumber=1", false, S3Operation.GetObject)]
    [InlineData("HEAD", "/b/k", false, S3Operation.HeadObject)]
    [InlineData("PUT", "/b/k", false, S3Operation.PutObject)]
    [InlineData("PUT", "/b/k", true, S3Operation.CopyObject)]
    [InlineData("DELETE", "/b/k", false, S3Operation.DeleteObject)]
    [InlineData("POST", "/b/k?uploads", false, S3Operation.CreateMultipartUpload)]
    [InlineData("PUT", "/b/k?partNumber=1&uploadId=u", false, S3Operation.UploadPart)]
    [InlineData("PUT", "/b/k?uploadId=u&partNumber=1", true, S3Operation.UploadPartCopy)]
    [InlineData("POST", "/b/k?uploadId=u", false, S3Operation.CompleteMultipartUpload)]
    [InlineData("DELETE", "/b/k?uploadId=u", false, S3Operation.AbortMultipartUpload)]
    [InlineData("GET", "/b/k?uploadId=u", false, S3Operation.ListParts)]
    [InlineData("POST", "/b/k", false, S3Operation.MethodNotAllowed)]
    [InlineData("OPTIONS", "/b/k", false, S3Operation.MethodNotAllowed)]
    [InlineData("GET", "/b/dir/", false, S3Operation.GetObject)]
    [InlineData("GET", "/b?list-type=1", false, S3Operation.ListObjects)]
    public void Classify_Matrix(string method, string target, bool copySource, S3Operation expected)
    {
        var t = S3RequestTarget.Parse(target);

        var match = S3OperationClassifier.Classify(method, t, copySource);

        Assert.Equal(expected, match.Operation);
    }

    [Theory]
    [InlineData("GET", "/b?acl", "acl")]
    [InlineData("PUT", "/b?acl", "acl")]
    [InlineData("GET", "/b/k?acl", "acl")]
    [InlineData("PUT", "/b?tagging", "tagging")]
    [InlineData("DELETE", "/b?cors", "cors")]
    [InlineData("GET", "/b?policy", "policy")]
    [InlineData("GET", "/b?lifecycle", "lifecycle")]
    [InlineData("GET", "/b?website", "website")]
    [InlineData("GET", "/b?encryption", "encryption")]
    [InlineData("PUT", "/b?replication", "replication")]
    [InlineData("GET", "/b?logging", "logging")]
    [InlineData("GET", "/b?notification", "notification")]
    [InlineData("GET", "/b?object-lock", "object-lock")]
    [InlineData("PUT", "/b/k?retention", "retention")]
    [InlineData("PUT", "/b/k?legal-hold", "legal-hold")]
    [InlineData("GET", "/b/k?torrent", "torrent")]
    [InlineData("POST", "/b/k?restore", "restore")]
    [InlineData("POST", "/b/k?select&select-type=2", "select")]
    [InlineData("GET", "/b?accelerate", "accelerate")]
    [InlineData("GET", "/b?analytics", "analytics")]
    [InlineData("GET", "/b?inventory", "inventory")]
    [InlineData("GET", "/b?metrics", "metrics")]
    [InlineData("GET", "/b?publicAccessBlock", "publicAccessBlock")]
    [InlineData("GET", "/b?ownershipControls", "ownershipControls")]
    [InlineData("GET", "/b?intelligent-tiering", "intelligent-tiering")]
    [InlineData("GET", "/b?requestPayment", "requestPayment")]
    [InlineData("GET", "/b/k?attributes", "attributes")]
    [InlineData("HEAD", "/b/k?acl", "acl")]
    public void Classify_UnservedSubresource_NotImplementedNamingIt(string method, string target, string feature)
    {
        var match = S3OperationClassifier.Classify(method, S3RequestTarget.Parse(target), hasCopySource: false);

        Assert.Equal(S3Operation.NotImplemented, match.Operation);
        Assert.Equal(feature, match.Feature);
    }

    [Fact]
    public void ThrowIfUnserved_NotImplemented_501WithFeatureInMessage()
    {
        var ex = Assert.Throws<S3Exception>(() => S3OperationClassifier.ThrowIfUnserved(new S3OperationMatch(S3Operation.NotImplemented, "acl"), "GET", S3RequestTarget.Parse("/b?acl")));

        Assert.Equal(501, ex.Error.StatusCode);
        Assert.Contains("acl", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATCH", "/b/k", "OBJECT")]
    [InlineData("PUT", "/", "SERVICE")]
    [InlineData("OPTIONS", "/b", "BUCKET")]
    public void ThrowIfUnserved_WithTarget_NamesMethodAndResourceType(string method, string raw, string resourceType)
    {
        var target = S3RequestTarget.Parse(raw);
        var match = S3OperationClassifier.Classify(method, target, hasCopySource: false);

        var ex = Assert.Throws<S3Exception>(() => S3OperationClassifier.ThrowIfUnserved(match, method, target));

        Assert.Equal(405, ex.Error.StatusCode);
        Assert.Equal([new("Method", method), new("ResourceType", resourceType)], ex.Details);
    }

    [Fact]
    public void ThrowIfUnserved_RealOperation_DoesNotThrow()
    {
        S3OperationClassifier.ThrowIfUnserved(new S3OperationMatch(S3Operation.GetObject), "GET", S3RequestTarget.Parse("/b/k"));
    }

    [Theory]
    [InlineData("GET", "/b/k?tagging", S3Operation.GetObjectTagging)]
    [InlineData("GET", "/b/k?tagging&versionId=abc", S3Operation.GetObjectTagging)]
    [InlineData("PUT", "/b/k?tagging", S3Operation.PutObjectTagging)]
    [InlineData("DELETE", "/b/k?tagging", S3Operation.DeleteObjectTagging)]
    [InlineData("POST", "/b/k?tagging", S3Operation.NotImplemented)]
    [InlineData("GET", "/b?tagging", S3Operation.NotImplemented)]
    [InlineData("GET", "/b/k?tagging&acl", S3Operation.NotImplemented)]
    public void Classify_Tagging_ObjectTaggingServedBucketTaggingNot(string method, string target, S3Operation expected)
    {
        Assert.Equal(expected, S3OperationClassifier.Classify(method, S3RequestTarget.Parse(target), hasCopySource: false).Operation);
    }
}
