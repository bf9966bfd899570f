using Gateway.Pachyderm.Protos.Pfs;
using Xunit;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Pachyderm.Tests.Client;

public sealed class FileDiffTests
{
    private static FileInfo Info(string path, FileType type) => new() { File = new Protos.Pfs.File { Path = path }, FileType = type };

    [Fact]
    public void FromResponse_DirectoryEntriesPachdStreams_Skipped()
    {
        // What pachd 2.x sends around a changed /d/x: the changed root and /d/ first, then the file.
        Assert.Null(FileDiff.FromResponse(new DiffFileResponse { NewFile = Info("/", FileType.Dir), OldFile = Info("/", FileType.Dir) }));
        Assert.Null(FileDiff.FromResponse(new DiffFileResponse { NewFile = Info("/d/", FileType.Dir) }));
        Assert.Null(FileDiff.FromResponse(new DiffFileResponse { OldFile = Info("/gone/", FileType.Dir) }));
        Assert.Null(FileDiff.FromResponse(new DiffFileResponse()));
    }

    [Fact]
    public void FromResponse_Files_AddedDeletedChanged()
    {
        var added = FileDiff.FromResponse(new DiffFileResponse { NewFile = Info("/d/new", FileType.File) });
        var deleted = FileDiff.FromResponse(new DiffFileResponse { OldFile = Info("/d/x", FileType.File) });
        var changed = FileDiff.FromResponse(new DiffFileResponse { NewFile = Info("/d/y", FileType.File), OldFile = Info("/d/y", FileType.File) });

        Assert.Equal(("/d/new", true, false), (added!.Path, added.New is not null, added.Old is not null));
        Assert.Equal(("/d/x", false, true), (deleted!.Path, deleted.New is not null, deleted.Old is not null));
        Assert.Equal(("/d/y", true, true), (changed!.Path, changed.New is not null, changed.Old is not null));
    }
}
