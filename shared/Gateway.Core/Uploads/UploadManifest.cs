using System.Buffers;
using System.Text.Json;
using Gateway.Core.Naming;

namespace Gateway.Core.Uploads;

/// <summary>
/// The small JSON document written when an upload starts. The gateway itself reads only the manifest's path
/// (see <see cref="UploadLayout"/>); the content tells an operator browsing the uploads repo what each
/// directory is.
/// </summary>
internal static class UploadManifest
{
    /// <summary>The manifest bytes for an upload.</summary>
    public static ReadOnlyMemory<byte> Serialize(string bucketName, BucketAddress bucket, string key, string uploadId, DateTimeOffset initiated)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("bucket", bucketName);
            json.WriteString("project", bucket.Project);
            json.WriteString("repo", bucket.Repo);
            json.WriteString("branch", bucket.Branch);
            if (bucket.CommitId is { } commit)
            {
                json.WriteString("commit", commit);
            }

            json.WriteString("key", key);
            json.WriteString("uploadId", uploadId);
            json.WriteString("initiated", initiated.UtcDateTime);
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
