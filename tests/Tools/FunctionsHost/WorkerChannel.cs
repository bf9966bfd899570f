using System.Collections.Concurrent;
using System.Threading.Channels;
using FunctionsHost.Rpc;
using Grpc.Core;
using MsgType = FunctionsHost.Rpc.StreamingMessage.ContentOneofCase;

namespace FunctionsHost;

/// <summary>
/// The host's end of the worker's event stream: one worker, one stream. Outgoing messages go through a queue with a
/// single writer; incoming responses complete the request that waits for them (init, metadata, load per function id,
/// invocation per invocation id); logs are printed.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerInitResponse> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadata = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
    private readonly bool _verbose;
    private int _attached;

    public WorkerChannel(string expectedWorkerId, bool verbose)
    {
        ExpectedWorkerId = expectedWorkerId;
        _verbose = verbose;
    }

    /// <summary>The worker id given on the worker's command line.</summary>
    public string ExpectedWorkerId { get; }

    /// <summary>Completes when the worker has opened the stream and sent StartStream.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Completes when the stream has ended.</summary>
    public Task Disconnected => _disconnected.Task;

    /// <summary>The worker's capabilities from WorkerInitResponse.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    public Task<WorkerInitResponse> InitResponse => _init.Task;

    public Task<FunctionMetadataResponse> MetadataResponse => _metadata.Task;

    public bool HasCapability(string name) => Capabilities.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value);

    /// <summary>Queues a message for the worker.</summary>
    public void Send(StreamingMessage message)
    {
        if (!_outgoing.Writer.TryWrite(message))
        {
            throw new InvalidOperationException("The worker's stream is closed.");
        }
    }

    /// <summary>Sends a FunctionLoadRequest and returns its response.</summary>
    public Task<FunctionLoadResponse> LoadAsync(FunctionLoadRequest request)
    {
        var pending = _loads.GetOrAdd(request.FunctionId, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously));
        Send(new StreamingMessage { FunctionLoadRequest = request });
        return pending.Task;
    }

    /// <summary>Registers an invocation whose response is awaited; call before sending the request.</summary>
    public Task<InvocationResponse> ExpectInvocation(string invocationId)
    {
        var pending = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[invocationId] = pending;
        return pending.Task;
    }

    /// <summary>Forgets an invocation (its response will not come, or was not awaited).</summary>
    public void Forget(string invocationId) => _invocations.TryRemove(invocationId, out _);

    /// <summary>Serves the stream: gRPC service call of FunctionRpc.EventStream.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            return;
        }

        var first = requests.Current;
        if (first.ContentCase != MsgType.StartStream || first.StartStream.WorkerId != ExpectedWorkerId)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, $"expected StartStream from worker {ExpectedWorkerId}, got {first.ContentCase} {first.StartStream?.WorkerId}"));
        }

        if (Interlocked.Exchange(ref _attached, 1) != 0)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "the worker's stream is already open"));
        }

        var writer = WriteAsync(responses, cancellationToken);
        _connected.TrySetResult();
        try
        {
            while (await requests.MoveNext(cancellationToken))
            {
                Dispatch(requests.Current);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker went away or the host stops.
        }
        catch (IOException)
        {
            // Likewise, seen as a broken connection.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            Fail(new IOException("The worker's stream ended."));
            _disconnected.TrySetResult();
        }

        await writer;
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream is gone; the reader side reports it.
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case MsgType.WorkerInitResponse:
                Capabilities = new Dictionary<string, string>(message.WorkerInitResponse.Capabilities, StringComparer.Ordinal);
                _init.TrySetResult(message.WorkerInitResponse);
                break;
            case MsgType.FunctionMetadataResponse:
                _metadata.TrySetResult(message.FunctionMetadataResponse);
                break;
            case MsgType.FunctionLoadResponse:
                _loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(message.FunctionLoadResponse);
                break;
            case MsgType.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }

                break;
            case MsgType.RpcLog:
                Log(message.RpcLog);
                break;
            case MsgType.WorkerStatusResponse:
                break;
            default:
                if (_verbose)
                {
                    Console.WriteLine($"[host] ignored {message.ContentCase} from the worker");
                }

                break;
        }
    }

    private void Log(RpcLog log)
    {
        if (log.Level < RpcLog.Types.Level.Information && !_verbose)
        {
            return;
        }

        var exception = log.Exception is null ? string.Empty : $"{Environment.NewLine}  {log.Exception.Type}: {log.Exception.Message}{Environment.NewLine}{log.Exception.StackTrace}";
        Console.WriteLine($"[worker {log.Level}] {log.Category}: {log.Message}{exception}");
    }

    private void Fail(Exception error)
    {
        _init.TrySetException(error);
        _metadata.TrySetException(error);
        foreach (var load in _loads.Values)
        {
            load.TrySetException(error);
        }

        foreach (var invocation in _invocations.Values)
        {
            invocation.TrySetException(error);
        }
    }
}

/// <summary>The gRPC service the worker connects to.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context.CancellationToken);
}
