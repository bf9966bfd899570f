namespace Gateway.Pachyderm;

/// <summary>Settings for <see cref="PachClient"/>.</summary>
public sealed class PachClientOptions
{
    /// <summary>20 MiB: the message size limit pachd itself uses in both directions.</summary>
    public const int DefaultMaxReceiveMessageSize = 20 * 1024 * 1024;

    /// <summary>
    /// 64 KiB. The server parses every AddFile <c>raw</c> into a new array; below the large-object heap's 85,000 bytes
    /// that is short-lived gen0 garbage, while the Go client's 2 MiB chunks land on the large-object heap and pile up
    /// until a gen2 collection. Measured with the embedded LocalPachd (S3Bench, 1 GiB): peak RSS during a single-stream
    /// PUT 180-198 -> 137-140 MiB and during a 4-way multipart upload 239-244 -> 152-153 MiB, PUT 126-130 -> 169-185
    /// MiB/s (fewer page faults and gen2 collections); see docs/BENCHMARKS.md.
    /// </summary>
    public const int DefaultAddFileChunkSize = 64 * 1024;

    /// <summary>
    /// pachd's gRPC address. Accepted forms: <c>http://host:port</c> (HTTP/2 without TLS), <c>https://host:port</c>,
    /// and the pachctl forms <c>grpc://host:port</c> (mapped to http), <c>grpcs://host:port</c> (mapped to https)
    /// and bare <c>host:port</c> (mapped to http). Required.
    /// </summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// Opens the connection to the server in place of a TCP connection to <see cref="Address"/>, which then only names it:
    /// the embedded LocalPachd's in-process endpoint (<c>LocalPachdServer.ConnectAsync</c>). Null: TCP.
    /// </summary>
    public Func<CancellationToken, ValueTask<Stream>>? Connect { get; set; }

    /// <summary>
    /// Largest message the client accepts. Default <see cref="DefaultMaxReceiveMessageSize"/> (20 MiB), because pachd
    /// streams GetFile chunks of up to 19 MiB while Grpc.Net.Client would otherwise stop at 4 MB.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMaxReceiveMessageSize;

    /// <summary>
    /// Size of each AddFile <c>raw</c> chunk sent by <see cref="IModifyFileWriter.AddFileAsync(string, Stream, CancellationToken)"/>.
    /// Default <see cref="DefaultAddFileChunkSize"/> (64 KiB); must stay well below pachd's 20 MiB receive limit.
    /// </summary>
    public int AddFileChunkSize { get; set; } = DefaultAddFileChunkSize;

    /// <summary>
    /// Idle time on a connection with active calls after which an HTTP/2 PING is sent. Default 60 seconds.
    /// Pings are sent only while calls are active, so a grpc-go server's ping enforcement is not tripped by idle channels.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a PING may go unanswered before the connection is closed. Default 20 seconds.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Deadline of every unary call (InspectFile, StartCommit, WhoAmI, ...), sent to pachd as <c>grpc-timeout</c> as
    /// well: a pachd that does not answer in time fails the call with <see cref="PachErrorKind.Unavailable"/> instead of
    /// holding it forever. Default 30 seconds; <see cref="Timeout.InfiniteTimeSpan"/> sets no deadline.
    /// Streaming calls get <see cref="StreamIdleTimeout"/> instead, so a long transfer is never cut off for its length.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a streaming call (GetFile, ModifyFile, the listings) may wait on pachd for one step: the next message,
    /// room to send the next chunk, the answer to a finished upload. Time spent waiting on the caller (a slow S3 client
    /// reading a download or sending an upload) does not count, so a 5 GiB transfer runs as long as it keeps moving.
    /// When it runs out the call is cancelled and fails with <see cref="PachErrorKind.Unavailable"/>. Default 30
    /// seconds; <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long opening a connection to pachd may take (<c>SocketsHttpHandler.ConnectTimeout</c>): an address that
    /// drops packets fails the call with <see cref="PachErrorKind.Unavailable"/> after this, not after the operating
    /// system's TCP retries (about two minutes on Linux). Default 5 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Send AddFile chunks by wrapping the reused pooled buffer instead of copying it. Default true: Grpc.Net.Client
    /// serializes a message before the awaited WriteAsync completes (checked in its source, by a contract test and by
    /// PachBench's copy/wrap comparison), so the buffer is free again when the next chunk is read into it, and a 1 GiB
    /// upload allocates no array per chunk.
    /// </summary>
    internal bool WrapUploadBuffers { get; set; } = true;
}
