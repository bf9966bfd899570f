using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Pachyderm;

/// <summary>What a ModifyFile stream came to (<see cref="IPachClient.ModifyFileDescribedAsync"/>).</summary>
/// <param name="CreatedCommit">The commit the stream created, when the server names it (as <see cref="IPachClient.ModifyFileAsync"/> returns it).</param>
/// <param name="LastAdded">The stream's last added file as InspectFile describes it at <paramref name="CreatedCommit"/>, when the server says.</param>
public sealed record ModifyFileResult(string? CreatedCommit, FileInfo? LastAdded);
