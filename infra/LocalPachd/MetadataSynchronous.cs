namespace LocalPachd;

/// <summary>SQLite <c>synchronous</c> modes LocalPachd supports for its metadata database (in WAL mode).</summary>
public enum MetadataSynchronous
{
    /// <summary>
    /// <c>synchronous=FULL</c>: every commit fsyncs the write-ahead log, so an acknowledged write survives a power
    /// loss. The default.
    /// </summary>
    Full,

    /// <summary>
    /// <c>synchronous=NORMAL</c>: the log is fsync'd only at checkpoints. Survives a process crash; a power loss may
    /// roll back the most recent acknowledged writes (never corrupting the database).
    /// </summary>
    Normal,
}
