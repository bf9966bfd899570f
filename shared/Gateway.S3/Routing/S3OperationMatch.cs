namespace Gateway.S3.Routing;

/// <summary>Result of classification.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="Feature">For <see cref="S3Operation.NotImplemented"/>: the sub-resource or feature that is not served (e.g. <c>acl</c>).</param>
public readonly record struct S3OperationMatch(S3Operation Operation, string? Feature = null);
