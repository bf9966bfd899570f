using System.Buffers;
using Gateway.Pachyderm.Client;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Grpc.Core;

namespace Gateway.Pachyderm.Files;

/// <summary>
/// Sends the body of one ModifyFile stream (after set_commit). Every message is awaited before the next is built, so
/// at most one chunk per upload is in flight and memory stays bounded by the chunk size. Each send is bounded by the
/// call's idle timer; reading the caller's content between sends is not.
/// </summary>
internal sealed class ModifyFileWriter : IModifyFileWriter
{
    private readonly IClientStreamWriter<ModifyFileRequest> _stream;
    private readonly Task _response;
    private readonly int _chunkSize;
    private readonly bool _wrapBuffers;
    private readonly StreamIdleTimer _timer;

    /// <summary>The first buffer of a streamed AddFile (below the large-object heap's 85,000 bytes).</summary>
    internal const int SmallBufferSize = 64 * 1024;

    public ModifyFileWriter(IClientStreamWriter<ModifyFileRequest> stream, Task response, int chunkSize, bool wrapBuffers, StreamIdleTimer timer)
    {
        _stream = stream;
        _response = response;
        _chunkSize = chunkSize;
        _wrapBuffers = wrapBuffers;
        _timer = timer;
    }

    /// <summary>Set once a message was written: the caller's stream is only half-closed after the callback returns.</summary>
    public bool Closed { get; set; }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads into a small pooled buffer first and moves to a whole chunk's buffer only when the content outgrows it, so
    /// that a small object costs a small buffer: renting a chunk-sized buffer per write keeps a pool of them alive on
    /// the large-object heap under concurrent small PUTs.
    /// </remarks>
    public async Task AddFileAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var limit = Math.Min(_chunkSize, SmallBufferSize);
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var filled = await FillAsync(content, buffer.AsMemory(0, limit), cancellationToken).ConfigureAwait(false);
            if (filled == limit && limit < _chunkSize)
            {
                var large = ArrayPool<byte>.Shared.Rent(_chunkSize);
                buffer.AsSpan(0, filled).CopyTo(large);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = large;
                limit = _chunkSize;
                filled += await FillAsync(content, buffer.AsMemory(filled, limit - filled), cancellationToken).ConfigureAwait(false);
            }

            var sentAny = false;
            while (true)
            {
                if (filled == 0 && sentAny)
                {
                    return;
                }

                // An empty source still sends one AddFile so the file exists (empty) afterwards.
                var raw = _wrapBuffers
                    ? UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, filled))
                    : ByteString.CopyFrom(buffer, 0, filled);
                await SendAsync(new ModifyFileRequest { AddFile = new AddFile { Path = path, Raw = raw } }, cancellationToken).ConfigureAwait(false);
                sentAny = true;
                if (filled < limit)
                {
                    return;
                }

                filled = await FillAsync(content, buffer.AsMemory(0, limit), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc/>
    public async Task AddFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var offset = 0;
        do
        {
            var count = Math.Min(_chunkSize, content.Length - offset);
            // Copied: the caller owns the memory and may reuse it as soon as this returns.
            var raw = ByteString.CopyFrom(content.Span.Slice(offset, count));
            await SendAsync(new ModifyFileRequest { AddFile = new AddFile { Path = path, Raw = raw } }, cancellationToken).ConfigureAwait(false);
            offset += count;
        }
        while (offset < content.Length);
    }

    /// <inheritdoc/>
    public Task DeleteFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return SendAsync(new ModifyFileRequest { DeleteFile = new DeleteFile { Path = path } }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CopyFileAsync(string destination, FileRef source, bool append = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        return SendAsync(new ModifyFileRequest { CopyFile = new CopyFile { Dst = destination, Src = source.ToProto(), Append = append } }, cancellationToken);
    }

    /// <summary>Sends one message, waiting at most the idle timeout for pachd to take it.</summary>
    internal async Task SendAsync(ModifyFileRequest request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Closed, this);
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token)
            : null;
        using var waiting = _timer.Waiting();
        try
        {
            await _stream.WriteAsync(request, linked?.Token ?? _timer.Token).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw _timer.Translate(e, cancellationToken);
        }
        catch (InvalidOperationException) when (_response.IsFaulted && _response.Exception?.InnerException is RpcException failed)
        {
            // pachd ended the call early (e.g. the repo does not exist): report its status, not the write failure.
            throw _timer.Translate(failed, cancellationToken);
        }
        catch (OperationCanceledException e) when (_timer.Expired)
        {
            throw _timer.TimedOut(e);
        }
    }

    private static async ValueTask<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
