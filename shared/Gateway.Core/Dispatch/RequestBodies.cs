using System.Buffers;
using System.Xml;
using Gateway.S3.Errors;

namespace Gateway.Core.Dispatch;

/// <summary>Reading small request bodies (XML configuration and DeleteObjects documents) safely.</summary>
internal static class RequestBodies
{
    /// <summary>XML reader settings that refuse DTDs and external entities.</summary>
    public static readonly XmlReaderSettings SafeXml = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary>
    /// Reads the whole verified body into a pooled buffer (return it to <see cref="ArrayPool{T}.Shared"/>).
    /// A body over <paramref name="limit"/> bytes is MaxMessageLengthExceeded.
    /// </summary>
    public static async Task<ArraySegment<byte>> ReadSmallAsync(S3Call call, int limit)
    {
        var declared = call.Request.ContentLength;
        if (declared > limit)
        {
            throw new S3Exception(S3Errors.MaxMessageLengthExceeded);
        }

        var body = call.Body;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1L, Math.Max(declared ?? 4096, 256) + 1));
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        throw new S3Exception(S3Errors.MaxMessageLengthExceeded);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), call.Aborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            if (filled > limit)
            {
                throw new S3Exception(S3Errors.MaxMessageLengthExceeded);
            }

            return new ArraySegment<byte>(buffer, 0, filled);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
