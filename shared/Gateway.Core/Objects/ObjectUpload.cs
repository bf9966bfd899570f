using System.Globalization;
using Gateway.Core.Naming;
using Gateway.Core.Pipeline;
using Gateway.Pachyderm;
using Gateway.Pachyderm.Protos.Pfs;
using Gateway.S3.Body;
using Gateway.S3.Errors;
using Gateway.S3.Http;
using FileInfo = Gateway.Pachyderm.Protos.Pfs.FileInfo;

namespace Gateway.Core.Objects;

/// <summary>
/// The rules PutObject and UploadPart share around a body they stream into pachd: the promised size is checked
/// before anything is read, and the checksums the body was verified against are echoed as S3 does. A body that
/// fails verification throws from its last read, inside the pachd client's writer, so pachd applies nothing.
/// </summary>
internal static class ObjectUpload
{
    private const string _checksumHeaderPrefix = "x-amz-checksum-";

    /// <summary>
    /// Starts replacing the object at <paramref name="key"/> inside a ModifyFile: deletes its path (and a literal alias
    /// written by other means, so one key never has two files), before the caller adds the new content.
    /// </summary>
    public static async Task ReplaceAsync(IModifyFileWriter writer, string key, CancellationToken cancellationToken)
    {
        foreach (var path in ObjectKey.StoredPaths(key))
        {
            await writer.DeleteFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The object a write through ModifyFile on the branch head just left at <paramref name="path"/>, with its own commit
    /// as version, and whether it is surely this write's. The commit is <paramref name="created"/> when the server named
    /// it (LocalPachd does: then one InspectFile), else found in the history (<see cref="OwnWrite"/>); when the write
    /// cannot be found (its commit lies beyond what is looked at), the file at the branch head, not sure.
    /// </summary>
    public static async Task<(StoredObject Found, bool Exact)> FindWrittenAsync(IPachClient pach, BucketAddress bucket, string? before, string? created, string path,
        Func<FileInfo?, bool> matches, CancellationToken cancellationToken, Func<FileRef, Task<bool>>? confirm = null, FileInfo? described = null)
    {
        if (created is not null)
        {
            // Nothing but this write went into the commit it created: the file there is the write's. The server may have
            // described it already (ModifyFileDescribedAsync), as InspectFile there would.
            var own = CommitRef.ById(bucket.RepoRef, created);
            var file = described is not null && IsFileAt(described, created, path)
                ? described
                : await pach.InspectFileAsync(new FileRef(own, path), cancellationToken).ConfigureAwait(false);
            return (StoredObject.From(file, own, path) with { VersionId = created }, true);
        }

        return await SearchWrittenAsync(pach, bucket, before, path, matches, cancellationToken, confirm).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="info"/> describes the file <paramref name="path"/> of commit <paramref name="commit"/>.</summary>
    private static bool IsFileAt(FileInfo info, string commit, string path) =>
        info.FileType == FileType.File && info.File?.Commit?.Id == commit && info.File.Path.TrimStart('/') == path.TrimStart('/');

    private static async Task<(StoredObject Found, bool Exact)> SearchWrittenAsync(IPachClient pach, BucketAddress bucket, string? before, string path, Func<FileInfo?, bool> matches,
        CancellationToken cancellationToken, Func<FileRef, Task<bool>>? confirm)
    {
        var own = await OwnWrite.FindAsync(pach, bucket, before, path, matches, cancellationToken, confirm).ConfigureAwait(false);
        if (own?.Object(bucket, path) is { } written)
        {
            return (written, own.Exact);
        }

        // The write changed nothing (the same bytes again): the file as of its commit.
        var at = own is null ? bucket.ReadCommit : CommitRef.ById(bucket.RepoRef, own.CommitId);
        var info = await pach.InspectFileAsync(new FileRef(at, path), cancellationToken).ConfigureAwait(false);
        var found = StoredObject.From(info, at, path);
        return (own is null ? found : found with { VersionId = own.CommitId }, own is not null);
    }

    /// <summary>
    /// True when the file <paramref name="file"/> holds exactly the bytes whose MD5 is <paramref name="md5"/> (read back
    /// whole: only for telling concurrent writes of one key apart).
    /// </summary>
    public static async Task<bool> HasMd5Async(IPachClient pach, FileRef file, ReadOnlyMemory<byte> md5, CancellationToken cancellationToken)
    {
        var stream = await pach.GetFileAsync(file, 0, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            return hash.GetHashAndReset().AsSpan().SequenceEqual(md5.Span);
        }
    }

    /// <summary>
    /// InvalidArgument when <paramref name="key"/> cannot be a file of the commit: S3 lets <c>a</c> and <c>a/b</c> both
    /// be objects, PFS cannot (pachd fails the whole commit on a file/directory collision). So the key must not be a
    /// directory (the parent of other objects), nor lie below an object. One call against LocalPachd, which names a
    /// missing path's nearest existing ancestor; against pachd one InspectFile for the key and usually one for its
    /// parent directory.
    /// </summary>
    public static async Task RequireNoPathConflictAsync(IPachClient pach, CommitRef commit, string key, CancellationToken cancellationToken)
    {
        var lookup = await pach.LookUpPathAsync(new FileRef(commit, ObjectKey.ToPath(key)), cancellationToken).ConfigureAwait(false);
        switch (lookup.File?.FileType)
        {
            case FileType.Dir:
                throw S3Exception.InvalidArgument("Objects exist below this key: Pachyderm cannot hold a file and a directory of the same name.", "key", key);
            case not null:
                // An existing file's ancestors are directories.
                return;
        }

        if (lookup.NearestAncestor is { } ancestor)
        {
            if (ancestor.FileType == FileType.File)
            {
                throw ObjectAbove(key, KeyAt(key, ancestor.File.Path));
            }

            return;
        }

        for (var slash = key.LastIndexOf('/'); slash > 0; slash = key.LastIndexOf('/', slash - 1))
        {
            switch (await KindAsync(pach, commit, ObjectKey.ToPath(key[..slash]), cancellationToken).ConfigureAwait(false))
            {
                case FileType.Dir:
                    return;
                case FileType.File:
                    throw ObjectAbove(key, key[..slash]);
            }
        }
    }

    private static S3Exception ObjectAbove(string key, string above) =>
        S3Exception.InvalidArgument($"The object '{above}' exists: Pachyderm cannot hold a file and a directory of the same name.", "key", key);

    /// <summary>The prefix of <paramref name="key"/> (up to one of its slashes) whose path is <paramref name="path"/>.</summary>
    private static string KeyAt(string key, string path)
    {
        for (var slash = key.IndexOf('/', 1); slash > 0; slash = key.IndexOf('/', slash + 1))
        {
            if (ObjectKey.ToPath(key[..slash]) == path)
            {
                return key[..slash];
            }
        }

        return path;
    }

    private static async Task<FileType?> KindAsync(IPachClient pach, CommitRef commit, string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await pach.InspectFileAsync(new FileRef(commit, path), cancellationToken).ConfigureAwait(false)).FileType;
        }
        catch (PachException e) when (e.Kind is PachErrorKind.FileNotFound or PachErrorKind.NotAFile)
        {
            return null;
        }
    }

    /// <summary>EntityTooLarge when the request promises more than <paramref name="maxObjectSize"/> bytes of object data.</summary>
    public static void RequireDeclaredSizeWithin(S3Call call, long maxObjectSize)
    {
        if (S3RequestBody.ObjectLength(call.Request, call.Auth) is { } declared && declared > maxObjectSize)
        {
            throw TooLarge(declared, maxObjectSize);
        }
    }

    /// <summary>EntityTooLarge naming the proposed and the allowed size.</summary>
    public static S3Exception TooLarge(long proposed, long maxObjectSize) =>
        new S3Exception(S3Errors.EntityTooLarge)
            .WithDetail("ProposedSize", proposed.ToString(CultureInfo.InvariantCulture))
            .WithDetail("MaxSizeAllowed", maxObjectSize.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Adds the checksums the body was verified against (header or aws-chunked trailer) to <paramref name="response"/>;
    /// when the body was not read to its end (a folder marker), the request's own x-amz-checksum-* headers.
    /// </summary>
    public static S3Response EchoChecksums(S3Call call, S3Response response)
    {
        if (call.VerifiedChecksums is { Count: > 0 } verified)
        {
            foreach (var checksum in verified)
            {
                response.Headers[checksum.HeaderName] = checksum.Base64;
            }

            return response;
        }

        foreach (var (name, value) in call.Request.Headers)
        {
            if (name.StartsWith(_checksumHeaderPrefix, StringComparison.OrdinalIgnoreCase) && !name.Equals("x-amz-checksum-type", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[name.ToLowerInvariant()] = value;
            }
        }

        return response;
    }
}
