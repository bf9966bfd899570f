using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Pachyderm;

/// <summary>What <see cref="IPachClient.LookUpPathAsync"/> found at a path.</summary>
/// <param name="File">The file or directory at the path, as InspectFile describes it; null when nothing is there.</param>
/// <param name="NearestAncestor">
/// When nothing is there and the server says (LocalPachd does, pachd 2.x does not): the path's nearest existing
/// ancestor, a directory or a file, as InspectFile describes it (the root at the least). Null otherwise.
/// </param>
public sealed record PathLookup(FileInfo? File, FileInfo? NearestAncestor);
