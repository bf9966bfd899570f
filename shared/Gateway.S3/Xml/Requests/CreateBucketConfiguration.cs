namespace Gateway.S3.Xml.Requests;

/// <summary>Parsed <c>&lt;CreateBucketConfiguration&gt;&lt;LocationConstraint/&gt;?&lt;/CreateBucketConfiguration&gt;</c>.</summary>
/// <param name="LocationConstraint">The region asked for, exactly as sent; null when the element is absent.</param>
public sealed record CreateBucketConfiguration(string? LocationConstraint);
