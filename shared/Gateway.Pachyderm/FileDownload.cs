using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Pachyderm;

/// <summary>A file being read (<see cref="IPachClient.OpenFileAsync"/>): what it is, and its bytes. Dispose the stream to end the call.</summary>
/// <param name="Info">The file served, as InspectFile describes it at the commit it was read from.</param>
/// <param name="Content">Its bytes from the start: a forward-only stream over the GetFile call.</param>
public sealed record FileDownload(FileInfo Info, Stream Content);
