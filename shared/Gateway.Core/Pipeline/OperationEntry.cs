using Gateway.S3.Routing;

namespace Gateway.Core.Pipeline;

/// <summary>What a request body of an operation may carry, which sets its size limit.</summary>
internal enum RequestBodyKind
{
    /// <summary>No body, or an XML document: at most <see cref="Gateway.S3.S3ProtocolOptions.MaxXmlBodyBytes"/>.</summary>
    Xml,

    /// <summary>Object data: up to <see cref="GatewayOptions.MaxObjectSize"/> plus aws-chunked framing.</summary>
    Object,
}

/// <summary>Whether an operation changes PFS (makes commits) or only reads it.</summary>
internal enum OperationAccess
{
    /// <summary>Reads only.</summary>
    Read,

    /// <summary>Makes commits.</summary>
    Write,
}

/// <summary>One row of the operation table: the S3 operation, the class that runs it, and its request policy.</summary>
/// <param name="Operation">The classified S3 operation.</param>
/// <param name="Handler">Runs it.</param>
/// <param name="NeedsBucket">Whether the request addresses a bucket (false only for ListBuckets).</param>
/// <param name="Access">Read or write.</param>
/// <param name="Body">What its body may carry.</param>
internal sealed record OperationEntry(S3Operation Operation, IGatewayOperation Handler, bool NeedsBucket, OperationAccess Access, RequestBodyKind Body);
