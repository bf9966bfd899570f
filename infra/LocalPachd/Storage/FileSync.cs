using System.Runtime.InteropServices;

namespace LocalPachd.Storage;

/// <summary>
/// The durability primitives the storage relies on. A seam: tests substitute a recording implementation to check
/// that every rename is covered by a directory sync before a write is acknowledged.
/// </summary>
internal interface IFileSync
{
    /// <summary>Flushes a file's bytes and metadata to stable storage (fsync).</summary>
    void SyncFile(FileStream stream);

    /// <summary>
    /// Flushes a directory's entries to stable storage, so the files renamed into it and the directories created
    /// in it survive a power loss (a rename alone survives only a process crash).
    /// </summary>
    void SyncDirectory(string path);

    /// <summary>Flushes everything written to the file system holding <paramref name="path"/> (used once at start-up).</summary>
    void SyncFileSystem(string path);
}

/// <summary>
/// <see cref="IFileSync"/> over the operating system. .NET refuses to open a directory as a file handle, so
/// directories are opened and fsync'd through libc. On Windows a directory cannot be fsync'd this way and
/// NTFS journals renames itself, so there the directory calls do nothing.
/// </summary>
internal sealed partial class SystemFileSync : IFileSync
{
    public static readonly SystemFileSync Instance = new();

    private SystemFileSync()
    {
    }

    public void SyncFile(FileStream stream) => stream.Flush(flushToDisk: true);

    public void SyncDirectory(string path)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            WithDescriptor(path, fd => Native.Fsync(fd));
        }
    }

    public void SyncFileSystem(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            WithDescriptor(path, fd => Native.Syncfs(fd));
        }
        else if (OperatingSystem.IsMacOS())
        {
            Native.Sync();
        }
    }

    private static void WithDescriptor(string path, Func<int, int> call)
    {
        // O_RDONLY (0) | O_CLOEXEC; O_DIRECTORY is left out because its value differs between architectures.
        var flags = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
        var fd = Native.Open(path, flags);
        if (fd < 0)
        {
            throw Failure("open", path);
        }

        try
        {
            if (call(fd) != 0)
            {
                throw Failure("sync", path);
            }
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static IOException Failure(string operation, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{operation} {path} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
        public static partial int Syncfs(int fd);

        [LibraryImport("libc", EntryPoint = "sync")]
        public static partial void Sync();

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        public static partial int Close(int fd);
    }
}
