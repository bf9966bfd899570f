using Gateway.Pachyderm.Protos.Pfs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Tests.Support;

/// <summary>Builders of pachd messages and async streams for mocks.</summary>
public static class Pfs
{
    public static FileInfo File(string path, long size = 1, string commitId = "c0ffee00000040000000000000000000") => new()
    {
        File = new Pachyderm.Protos.Pfs.File { Path = path, Commit = new Commit { Id = commitId } },
        FileType = path.EndsWith('/') ? FileType.Dir : FileType.File,
        SizeBytes = size,
        Hash = ByteString.CopyFrom(Enumerable.Range(0, 32).Select(i => (byte)(i + path.Length)).ToArray()),
        Committed = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
    };

    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
