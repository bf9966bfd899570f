using Microsoft.Extensions.Logging;

namespace LocalPachd;

/// <summary>Options of a <see cref="LocalPachdServer"/>.</summary>
public sealed class LocalPachdOptions
{
    /// <summary>Directory holding the metadata database and the chunk files. Created when missing. Default: <c>./localpachd-data</c>.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Environment.CurrentDirectory, "localpachd-data");

    /// <summary>TCP port to listen on; 0 picks a free ephemeral port (see <see cref="LocalPachdServer.Address"/>). Default: 30650.</summary>
    public int Port { get; set; } = 30650;

    /// <summary>IP address to bind. Default: <c>127.0.0.1</c>.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Minimum level written to the console log. Default: <see cref="LogLevel.Warning"/> (quiet).</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>A log destination besides the console (e.g. a test's recorder); null: the console only.</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>Size of content chunks in bytes. Default: 4 MiB.</summary>
    public int ChunkSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Files (or final chunks) smaller than this are stored inside the metadata database with their commit instead
    /// of as chunk files: no file create, fsync and rename per small write. 0 disables. Default: 64 KiB.
    /// </summary>
    public int InlineThreshold { get; set; } = 64 * 1024;

    /// <summary>
    /// Whether chunk files, and the directories they are renamed into, are fsync'd before the metadata that refers
    /// to them commits. Turning it off keeps writes safe against a process crash but not a power loss. Default: true.
    /// </summary>
    public bool FsyncChunks { get; set; } = true;

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for the metadata database. <see cref="MetadataSynchronous.Full"/> makes an
    /// acknowledged write survive a power loss; <see cref="MetadataSynchronous.Normal"/> is faster but a power loss
    /// may roll back the most recent acknowledged writes (a process crash loses nothing either way).
    /// Command line: <c>--synchronous full|normal</c>; environment: <c>LOCALPACHD_SYNCHRONOUS</c>.
    /// Default: <see cref="MetadataSynchronous.Full"/>.
    /// </summary>
    public MetadataSynchronous Synchronous { get; set; } = MetadataSynchronous.Full;

    /// <summary>
    /// Upper bound of the in-memory cache of decoded tree nodes, counted in encoded bytes (decoded nodes take several
    /// times that on the heap). Default: 8 MiB, room for the interior nodes and the leaves in use of a 100,000-key
    /// folder. 64 MiB, the earlier default, filled with the superseded versions of nodes that writes replace: the
    /// embedding gateway held 10 MiB more after 20,000 small requests and 30 MiB more during a 20,000-key listing,
    /// for no faster listing (S3Bench: 0.47-0.54 s against 0.45 s).
    /// </summary>
    public long NodeCacheBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Whether unreferenced data is collected in the background after deletions. Default: true.</summary>
    public bool BackgroundGarbageCollection { get; set; } = true;

    /// <summary>Clock used for timestamps and token expiry. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The fsync primitives (a seam for tests). Default: the operating system's.</summary>
    internal Storage.IFileSync FileSync { get; set; } = Storage.SystemFileSync.Instance;
}
