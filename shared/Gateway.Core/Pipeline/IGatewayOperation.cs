using Gateway.S3.Http;

namespace Gateway.Core.Pipeline;

/// <summary>One S3 operation: reads what it needs from the call and answers with a response value.</summary>
internal interface IGatewayOperation
{
    /// <summary>Runs the operation. S3 errors are thrown as <see cref="Gateway.S3.Errors.S3Exception"/>; pachd's are left to the pipeline.</summary>
    Task<S3Response> RunAsync(S3Call call);
}
