using Gateway.Pachyderm.Protos.Pfs;
using Grpc.Core;
using LocalPachd.Storage;

namespace LocalPachd.Pfs;

/// <summary>
/// Buffers one ModifyFile stream: validates each message, streams add_file bytes straight into chunk files and
/// records the operations, which are only applied (all together) once the client half-closes.
/// </summary>
internal sealed class ModifyFileSession
{
    private readonly ChunkWriter _writer;
    private readonly List<ModifyOperation> _operations = [];
    private string? _addPath;
    private string[]? _addComponents;

    public ModifyFileSession(ChunkWriter writer) => _writer = writer;

    public Commit? Target { get; private set; }

    public async ValueTask AcceptAsync(ModifyFileRequest request, CancellationToken cancellationToken)
    {
        if (request.BodyCase == ModifyFileRequest.BodyOneofCase.SetCommit)
        {
            if (Target is not null)
            {
                throw PachErrors.New(StatusCode.Unknown, "cannot set commit");
            }

            Target = request.SetCommit;
            return;
        }

        if (Target is null)
        {
            throw PachErrors.New(StatusCode.Unknown, "the first message of a ModifyFile stream must set the commit");
        }

        switch (request.BodyCase)
        {
            case ModifyFileRequest.BodyOneofCase.AddFile:
                var add = request.AddFile;
                if (add.SourceCase == AddFile.SourceOneofCase.Url)
                {
                    throw PachErrors.New(StatusCode.Unimplemented, "AddFile from a URL is not supported by localpachd");
                }

                if (_addPath != add.Path)
                {
                    await FlushAddAsync(cancellationToken).ConfigureAwait(false);
                    PathRules.ValidateWritable(add.Path);
                    var components = PathRules.Components(add.Path);
                    if (components.Length == 0)
                    {
                        throw PachErrors.New(StatusCode.Unknown, $"path ({add.Path}) invalid: cannot write a file at the root");
                    }

                    _addPath = add.Path;
                    _addComponents = components;
                }

                if (add.Raw is { Length: > 0 } raw)
                {
                    await _writer.WriteAsync(raw.Memory, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ModifyFileRequest.BodyOneofCase.DeleteFile:
                await FlushAddAsync(cancellationToken).ConfigureAwait(false);
                var delete = request.DeleteFile;
                PathRules.ValidateWritable(delete.Path);
                var isDirectory = delete.Path.EndsWith('/') || PathRules.Components(delete.Path).Length == 0;
                _operations.Add(new DeleteFileOperation(PathRules.Components(delete.Path), isDirectory));
                break;
            case ModifyFileRequest.BodyOneofCase.CopyFile:
                await FlushAddAsync(cancellationToken).ConfigureAwait(false);
                var copy = request.CopyFile;
                if (copy.Src is null)
                {
                    throw PachErrors.New(StatusCode.InvalidArgument, "validate recv: invalid CopyFile.Src: value is required");
                }

                PathRules.ValidateWritable(copy.Dst);
                _operations.Add(new CopyFileOperation(PathRules.Components(copy.Dst), copy.Src, copy.Append));
                break;
            default:
                throw PachErrors.New(StatusCode.InvalidArgument, "validate recv: invalid ModifyFileRequest.Body: value is required");
        }
    }

    /// <summary>Seals the last file and returns every operation in stream order.</summary>
    public async ValueTask<IReadOnlyList<ModifyOperation>> CompleteAsync(CancellationToken cancellationToken)
    {
        if (Target is null)
        {
            throw PachErrors.New(StatusCode.Unknown, "the first message of a ModifyFile stream must set the commit");
        }

        await FlushAddAsync(cancellationToken).ConfigureAwait(false);
        return _operations;
    }

    private async ValueTask FlushAddAsync(CancellationToken cancellationToken)
    {
        if (_addComponents is null)
        {
            return;
        }

        var chunks = await _writer.CompleteFileAsync(cancellationToken).ConfigureAwait(false);
        _operations.Add(new AddFileOperation(_addComponents, chunks));
        _addPath = null;
        _addComponents = null;
    }
}
