
namespace Gateway.Core.Tests.Support;

/// <summary>Multipart steps through the pipeline, for tests of the later steps.</summary>
internal static class Multipart
{
    /// <summary>Starts an upload; returns its id.</summary>
    public static async Task<string> CreateAsync(this Gateway gateway, string bucket, string key)
    {
        var r = await gateway.SendAsync("POST", $"/{bucket}/{key}?uploads");
        Assert.Equal(200, r.Status);
        return r.Xml.Element("UploadId")!.Value;
    }

    /// <summary>Uploads part <paramref name="number"/>; returns its ETag.</summary>
    public static async Task<string> PartAsync(this Gateway gateway, string bucket, string key, string uploadId, int number, string content, IDictionary<string, string>? headers = null)
    {
        var r = await gateway.SendAsync("PUT", $"/{bucket}/{key}?uploadId={uploadId}&partNumber={number}", content, headers);
        Assert.Equal(200, r.Status);
        return r.Headers.ETag.ToString();
    }

    /// <summary>A CompleteMultipartUpload body naming the parts in order.</summary>
    public static string CompleteBody(params (int Number, string ETag)[] parts) =>
        "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>";

    /// <summary>The number of commits of the bucket's gateway branch (0 before its first use).</summary>
    public static async Task<int> UploadsCommitCountAsync(this PachdServer pachd, string repo)
    {
        try
        {
            return await pachd.CommitCountAsync(repo, Core.Naming.GatewayBranch.Prefix + "master");
        }
        catch (Pachyderm.PachException e) when (e.IsNotFound)
        {
            return 0;
        }
    }
}
