namespace Gateway.Integration.Tests.Integrity;

/// <summary>
/// Flips one byte of every PUT body the SDK sends, at <c>offset</c> into the body as framed on the wire, without
/// touching headers or length: a stand-in for corruption in transit after the SDK signed and framed the body.
/// </summary>
public sealed class CorruptingHandler(HttpMessageHandler inner, long offset) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Put && request.Content is { } original)
        {
            var body = await original.ReadAsStreamAsync(cancellationToken);
            var corrupted = new StreamContent(new FlippingStream(body, offset));
            foreach (var header in original.Headers)
            {
                corrupted.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = corrupted;
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private sealed class FlippingStream(Stream inner, long offset) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Flip(buffer[..n]);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Flip(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Flip(Span<byte> read)
        {
            if (offset >= _position && offset < _position + read.Length)
            {
                read[(int)(offset - _position)] ^= 0x20;
            }

            _position += read.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
