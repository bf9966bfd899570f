using System.Buffers;
using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Grpc.Core;

namespace Gateway.Pachyderm.Files;

/// <summary>
/// One GetFile message (a <c>google.protobuf.BytesValue</c>) read into a buffer rented from the shared pool, instead of
/// the new array protobuf's parser allocates for every message. pachd sends chunks of megabytes, so those arrays
/// would all land on the large-object heap, which is collected only with gen2: a 1 GiB download would leave hundreds
/// of them behind for the GC. The reader hands each chunk back with <see cref="Return"/> once it has copied it out.
/// </summary>
internal sealed class FileChunk
{
    private static readonly Marshaller<GetFileRequest> _requests = Marshallers.Create(
        (GetFileRequest request, SerializationContext context) =>
        {
            context.SetPayloadLength(request.CalculateSize());
            request.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        context => GetFileRequest.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private static readonly Marshaller<FileChunk> _chunks = Marshallers.Create<FileChunk>(
        (_, _) => throw new NotSupportedException("File chunks are only received."),
        context => Parse(context.PayloadAsReadOnlySequence()));

    private byte[]? _buffer;

    private FileChunk(byte[]? buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    /// <summary>pfs_v2.API/GetFile, with each response message read into a pooled buffer.</summary>
    public static Method<GetFileRequest, FileChunk> GetFileMethod { get; } =
        new(MethodType.ServerStreaming, "pfs_v2.API", "GetFile", _requests, _chunks);

    /// <summary>Bytes in the chunk.</summary>
    public int Length { get; }

    /// <summary>The chunk's bytes (empty once returned).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    /// <summary>Gives the buffer back to the pool; the chunk is empty afterwards. Idempotent.</summary>
    public void Return()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads a BytesValue from its wire form: field 1 (length-delimited) is the value, the last one wins as in
    /// protobuf, and any other field is skipped.
    /// </summary>
    internal static FileChunk Parse(ReadOnlySequence<byte> payload)
    {
        var reader = new SequenceReader<byte>(payload);
        var value = ReadOnlySequence<byte>.Empty;
        while (!reader.End)
        {
            var tag = ReadVarint(ref reader);
            var field = tag >> 3;
            switch ((int)(tag & 7))
            {
                case 0:
                    ReadVarint(ref reader);
                    break;
                case 1:
                    Skip(ref reader, 8);
                    break;
                case 2:
                    var length = ReadVarint(ref reader);
                    if (length > (ulong)reader.Remaining)
                    {
                        throw new InvalidDataException("A GetFile message is truncated.");
                    }

                    if (field == 1)
                    {
                        value = payload.Slice(reader.Position, (long)length);
                    }

                    reader.Advance((long)length);
                    break;
                case 5:
                    Skip(ref reader, 4);
                    break;
                default:
                    throw new InvalidDataException($"A GetFile message has a field of wire type {tag & 7}.");
            }

            if (field == 0)
            {
                throw new InvalidDataException("A GetFile message has a field numbered 0.");
            }
        }

        if (value.IsEmpty)
        {
            return new FileChunk(null, 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)value.Length));
        value.CopyTo(buffer);
        return new FileChunk(buffer, (int)value.Length);
    }

    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out var b))
            {
                throw new InvalidDataException("A GetFile message is truncated.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("A GetFile message has a malformed varint.");
    }

    private static void Skip(ref SequenceReader<byte> reader, int count)
    {
        if (reader.Remaining < count)
        {
            throw new InvalidDataException("A GetFile message is truncated.");
        }

        reader.Advance(count);
    }
}
