using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace LocalPachd.Hosting;

/// <summary>
/// A Kestrel endpoint only this process can reach: <see cref="ConnectAsync"/> hands Kestrel one end of a pair of
/// in-memory pipes and returns the other end as a stream, for an HTTP/2 client in the same process (the gateway with its
/// embedded LocalPachd). Kestrel serves these connections exactly as it serves TCP ones; only the loopback socket (its
/// system calls and kernel copies) is gone.
/// </summary>
internal sealed class InProcessEndPoint : EndPoint
{
    /// <summary>Bytes a direction may hold before its writer waits (HTTP/2 flow control bounds it too).</summary>
    private const long _pauseWriterThreshold = 1024 * 1024;

    private readonly Channel<ConnectionContext> _accepted = Channel.CreateUnbounded<ConnectionContext>();
    private int _connections;

    /// <summary>A new connection to the server listening on this endpoint, as the client's end (a duplex stream).</summary>
    public ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = new PipeOptions(pauseWriterThreshold: _pauseWriterThreshold, resumeWriterThreshold: _pauseWriterThreshold / 2, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        var connection = new InProcessConnection($"inproc-{Interlocked.Increment(ref _connections)}", new DuplexPipe(toServer.Reader, toClient.Writer), this);
        if (!_accepted.Writer.TryWrite(connection))
        {
            throw new IOException("The in-process LocalPachd endpoint is closed.");
        }

        return ValueTask.FromResult<Stream>(new DuplexPipeStream(toClient.Reader, toServer.Writer));
    }

    public override string ToString() => "inproc://localpachd";

    private ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken) => ReadAsync(_accepted.Reader, cancellationToken);

    private static async ValueTask<ConnectionContext?> ReadAsync(ChannelReader<ConnectionContext> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Kestrel's side: binds <see cref="InProcessEndPoint"/>s, leaving every other endpoint to the socket transport.</summary>
    internal sealed class ListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
    {
        public bool CanBind(EndPoint endpoint) => endpoint is InProcessEndPoint;

        public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IConnectionListener>(new Listener((InProcessEndPoint)endpoint));
    }

    private sealed class Listener(InProcessEndPoint endpoint) : IConnectionListener
    {
        public EndPoint EndPoint => endpoint;

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) => endpoint.AcceptAsync(cancellationToken);

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            endpoint._accepted.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => UnbindAsync();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>The server's end of one connection.</summary>
    private sealed class InProcessConnection : ConnectionContext
    {
        private readonly CancellationTokenSource _closed = new();

        public InProcessConnection(string id, IDuplexPipe transport, EndPoint endpoint)
        {
            ConnectionId = id;
            Transport = transport;
            LocalEndPoint = endpoint;
            RemoteEndPoint = endpoint;
            ConnectionClosed = _closed.Token;
            Features.Set<IMemoryPoolFeature>(MemoryPoolFeature.Instance);
        }

        public override string ConnectionId { get; set; }

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason)
        {
            Transport.Input.Complete(abortReason);
            Transport.Output.Complete(abortReason);
            Close();
        }

        public override ValueTask DisposeAsync()
        {
            Transport.Input.Complete();
            Transport.Output.Complete();
            Close();
            _closed.Dispose();
            return ValueTask.CompletedTask;
        }

        private void Close()
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: already closed.
            }
        }
    }

    /// <summary>
    /// The buffers Kestrel writes a connection's output into. Without this feature Kestrel uses
    /// <see cref="MemoryPool{T}.Shared"/>, whose Rent(0) is an empty block; and once a client has reset an HTTP/2 stream,
    /// Kestrel answers a writer's GetSpan() with a block rented for the size asked, 0 from protobuf's serializer, which
    /// then loops for ever waiting for room (a server thread spinning per stream reset mid-message).
    /// </summary>
    private sealed class MemoryPoolFeature : IMemoryPoolFeature
    {
        public static readonly MemoryPoolFeature Instance = new();

        public MemoryPool<byte> MemoryPool => NonEmptyMemoryPool.Instance;
    }

    /// <summary><see cref="MemoryPool{T}.Shared"/>, renting at least <see cref="MinimumBlock"/> bytes.</summary>
    private sealed class NonEmptyMemoryPool : MemoryPool<byte>
    {
        public const int MinimumBlock = 4096;

        public static readonly NonEmptyMemoryPool Instance = new();

        public override int MaxBufferSize => Shared.MaxBufferSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => Shared.Rent(Math.Max(minBufferSize, MinimumBlock));

        protected override void Dispose(bool disposing)
        {
            // Shared is never disposed.
        }
    }

    /// <summary>The client's end of one connection: reads what the server wrote, writes what the server reads.</summary>
    private sealed class DuplexPipeStream(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream _input = input.AsStream();
        private readonly Stream _output = output.AsStream();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _output.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // Completing both pipes ends the connection for Kestrel as a closed socket would.
                _input.Dispose();
                _output.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
