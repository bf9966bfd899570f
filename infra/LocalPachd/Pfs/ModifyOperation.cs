using LocalPachd.Storage;

namespace LocalPachd.Pfs;

/// <summary>One buffered ModifyFile operation; nothing is applied until the client half-closes.</summary>
internal abstract record ModifyOperation;

/// <summary>Append chunks (possibly none: creates an empty file) to a file.</summary>
internal sealed record AddFileOperation(string[] Path, ChunkRef[] Chunks) : ModifyOperation;

/// <summary>Delete one file, or a directory recursively.</summary>
internal sealed record DeleteFileOperation(string[] Path, bool Directory) : ModifyOperation;

/// <summary>Copy a file or directory from any repo/commit.</summary>
internal sealed record CopyFileOperation(string[] Destination, Gateway.Pachyderm.Protos.Pfs.File Source, bool Append) : ModifyOperation;
