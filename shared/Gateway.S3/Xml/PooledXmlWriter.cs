using System.Buffers;
using System.Xml;

namespace Gateway.S3.Xml;

/// <summary>
/// The async XmlWriter of S3 documents, without the 64 KiB buffer an async <see cref="XmlWriter"/> allocates for each
/// document (System.Xml sizes a writer's buffer at 64 KiB when <see cref="XmlWriterSettings.Async"/> is set, 6 KiB
/// otherwise): a synchronous writer with the same settings writes into a pooled buffer, and each async call sends
/// that buffer on to the output once it holds <see cref="_sendAt"/> bytes. The bytes are those the async writer
/// wrote; a listing still streams, in pieces of about 16 KiB. Sync calls only buffer (outputs such as Kestrel's
/// response body refuse synchronous writes), except <see cref="Flush"/> and <see cref="XmlWriter.Dispose()"/>.
/// </summary>
internal sealed class PooledXmlWriter : XmlWriter
{
    private const int _sendAt = 16 * 1024;
    private readonly Stream _output;
    private readonly PendingBytes _pending = new();
    private readonly XmlWriter _inner;
    private bool _disposed;

    public PooledXmlWriter(Stream output, XmlWriterSettings settings)
    {
        _output = output;
        _inner = Create(_pending, settings);
    }

    public override WriteState WriteState => _inner.WriteState;

    public override XmlWriterSettings? Settings => _inner.Settings;

    public override XmlSpace XmlSpace => _inner.XmlSpace;

    public override string? XmlLang => _inner.XmlLang;

    public override string? LookupPrefix(string ns) => _inner.LookupPrefix(ns);

    public override void WriteStartDocument() => _inner.WriteStartDocument();

    public override void WriteStartDocument(bool standalone) => _inner.WriteStartDocument(standalone);

    public override void WriteEndDocument() => _inner.WriteEndDocument();

    public override void WriteDocType(string name, string? pubid, string? sysid, string? subset) => _inner.WriteDocType(name, pubid, sysid, subset);

    public override void WriteStartElement(string? prefix, string localName, string? ns) => _inner.WriteStartElement(prefix, localName, ns);

    public override void WriteEndElement() => _inner.WriteEndElement();

    public override void WriteFullEndElement() => _inner.WriteFullEndElement();

    public override void WriteStartAttribute(string? prefix, string localName, string? ns) => _inner.WriteStartAttribute(prefix, localName, ns);

    public override void WriteEndAttribute() => _inner.WriteEndAttribute();

    public override void WriteCData(string? text) => _inner.WriteCData(text);

    public override void WriteComment(string? text) => _inner.WriteComment(text);

    public override void WriteProcessingInstruction(string name, string? text) => _inner.WriteProcessingInstruction(name, text);

    public override void WriteEntityRef(string name) => _inner.WriteEntityRef(name);

    public override void WriteCharEntity(char ch) => _inner.WriteCharEntity(ch);

    public override void WriteWhitespace(string? ws) => _inner.WriteWhitespace(ws);

    public override void WriteString(string? text) => _inner.WriteString(text);

    public override void WriteSurrogateCharEntity(char lowChar, char highChar) => _inner.WriteSurrogateCharEntity(lowChar, highChar);

    public override void WriteChars(char[] buffer, int index, int count) => _inner.WriteChars(buffer, index, count);

    public override void WriteRaw(char[] buffer, int index, int count) => _inner.WriteRaw(buffer, index, count);

    public override void WriteRaw(string data) => _inner.WriteRaw(data);

    public override void WriteBase64(byte[] buffer, int index, int count) => _inner.WriteBase64(buffer, index, count);

    /// <summary>Writes everything buffered to the output, synchronously, and flushes it.</summary>
    public override void Flush()
    {
        _inner.Flush();
        _output.Write(_pending.Written);
        _pending.Clear();
        _output.Flush();
    }

    public override Task WriteStartDocumentAsync()
    {
        _inner.WriteStartDocument();
        return SendIfFullAsync();
    }

    public override Task WriteStartDocumentAsync(bool standalone)
    {
        _inner.WriteStartDocument(standalone);
        return SendIfFullAsync();
    }

    public override Task WriteEndDocumentAsync()
    {
        _inner.WriteEndDocument();
        return SendIfFullAsync();
    }

    public override Task WriteDocTypeAsync(string name, string? pubid, string? sysid, string? subset)
    {
        _inner.WriteDocType(name, pubid, sysid, subset);
        return SendIfFullAsync();
    }

    public override Task WriteStartElementAsync(string? prefix, string localName, string? ns)
    {
        _inner.WriteStartElement(prefix, localName, ns);
        return SendIfFullAsync();
    }

    public override Task WriteEndElementAsync()
    {
        _inner.WriteEndElement();
        return SendIfFullAsync();
    }

    public override Task WriteFullEndElementAsync()
    {
        _inner.WriteFullEndElement();
        return SendIfFullAsync();
    }

    protected override Task WriteStartAttributeAsync(string? prefix, string localName, string? ns)
    {
        _inner.WriteStartAttribute(prefix, localName, ns);
        return SendIfFullAsync();
    }

    protected override Task WriteEndAttributeAsync()
    {
        _inner.WriteEndAttribute();
        return SendIfFullAsync();
    }

    public override Task WriteCDataAsync(string? text)
    {
        _inner.WriteCData(text);
        return SendIfFullAsync();
    }

    public override Task WriteCommentAsync(string? text)
    {
        _inner.WriteComment(text);
        return SendIfFullAsync();
    }

    public override Task WriteProcessingInstructionAsync(string name, string? text)
    {
        _inner.WriteProcessingInstruction(name, text);
        return SendIfFullAsync();
    }

    public override Task WriteEntityRefAsync(string name)
    {
        _inner.WriteEntityRef(name);
        return SendIfFullAsync();
    }

    public override Task WriteCharEntityAsync(char ch)
    {
        _inner.WriteCharEntity(ch);
        return SendIfFullAsync();
    }

    public override Task WriteWhitespaceAsync(string? ws)
    {
        _inner.WriteWhitespace(ws);
        return SendIfFullAsync();
    }

    public override Task WriteStringAsync(string? text)
    {
        _inner.WriteString(text);
        return SendIfFullAsync();
    }

    public override Task WriteSurrogateCharEntityAsync(char lowChar, char highChar)
    {
        _inner.WriteSurrogateCharEntity(lowChar, highChar);
        return SendIfFullAsync();
    }

    public override Task WriteCharsAsync(char[] buffer, int index, int count)
    {
        _inner.WriteChars(buffer, index, count);
        return SendIfFullAsync();
    }

    public override Task WriteRawAsync(char[] buffer, int index, int count)
    {
        _inner.WriteRaw(buffer, index, count);
        return SendIfFullAsync();
    }

    public override Task WriteRawAsync(string data)
    {
        _inner.WriteRaw(data);
        return SendIfFullAsync();
    }

    public override Task WriteBase64Async(byte[] buffer, int index, int count)
    {
        _inner.WriteBase64(buffer, index, count);
        return SendIfFullAsync();
    }

    /// <summary>Writes everything buffered to the output and flushes it.</summary>
    public override async Task FlushAsync()
    {
        _inner.Flush();
        await SendAsync().ConfigureAwait(false);
        await _output.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the open elements as the async writer would, and sends what is left (not flushed).</summary>
    protected override async ValueTask DisposeAsyncCore()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _inner.Dispose();
            await SendAsync().ConfigureAwait(false);
        }
        finally
        {
            _pending.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                _inner.Dispose();
                _output.Write(_pending.Written);
            }
            finally
            {
                _pending.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private Task SendIfFullAsync() => _pending.Length < _sendAt ? Task.CompletedTask : SendAsync();

    private async Task SendAsync()
    {
        if (_pending.Length > 0)
        {
            await _output.WriteAsync(_pending.WrittenMemory).ConfigureAwait(false);
            _pending.Clear();
        }
    }

    /// <summary>The synchronous writer's output: a growing buffer from the shared pool, emptied by each send.</summary>
    private sealed class PendingBytes : Stream
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public void Clear() => _length = 0;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_buffer.Length - _length < buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + buffer.Length));
                Written.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            buffer.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && _buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
                _length = 0;
            }

            base.Dispose(disposing);
        }
    }
}
