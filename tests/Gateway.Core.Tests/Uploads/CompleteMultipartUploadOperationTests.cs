using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Tests.Support;
using Gateway.Core.Uploads;
using Gateway.Pachyderm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Core.Tests.Uploads;

[Collection(PachdCollection.Name)]
public sealed class CompleteMultipartUploadOperationTests(PachdServer pachd)
{
    private const int _mib = 1024 * 1024;

    private readonly Support.Gateway _gateway = new(pachd.Client);

    private static string Filled(char c, int length) => new(c, length);

    [Fact]
    public async Task Complete_ThreeParts_OneCommitOnTheDestinationAssembledInsidePachd()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "dir/obj.bin");
        var e1 = await _gateway.PartAsync(repo, "dir/obj.bin", id, 1, Filled('a', 5 * _mib));
        var e2 = await _gateway.PartAsync(repo, "dir/obj.bin", id, 2, Filled('b', 5 * _mib));
        var e3 = await _gateway.PartAsync(repo, "dir/obj.bin", id, 3, "tail");
        var before = await pachd.CommitCountAsync(repo);
        var calls = new List<PachCall>();
        var gateway = new Support.Gateway(PachProxy.Wrap(pachd.Client, calls));

        var r = await gateway.SendAsync("POST", $"/{repo}/dir/obj.bin?uploadId={id}", Multipart.CompleteBody((1, e1), (2, e2), (3, e3)));

        Assert.Equal(200, r.Status);
        Assert.Equal(before + 1, await pachd.CommitCountAsync(repo));
        var content = await pachd.ReadAsync(repo, "/dir/obj.bin");
        Assert.Equal(Filled('a', 5 * _mib) + Filled('b', 5 * _mib) + "tail", content);
        var info = await pachd.Client.InspectFileAsync(new FileRef(new BranchRef(RepoRef.InDefault(repo), "master").Head, "/dir/obj.bin"));
        byte[][] partMd5s = [MD5.HashData(Encoding.ASCII.GetBytes(Filled('a', 5 * _mib))), MD5.HashData(Encoding.ASCII.GetBytes(Filled('b', 5 * _mib))), MD5.HashData("tail"u8)];
        var expected = "\"" + Convert.ToHexStringLower(MD5.HashData(partMd5s.SelectMany(m => m).ToArray())) + "-3\"";
        Assert.Equal(expected, r.Xml.Element("ETag")!.Value);
        Assert.Equal(expected, (await _gateway.SendAsync("HEAD", $"/{repo}/dir/obj.bin")).Headers.ETag.ToString());
        Assert.Equal(info.File.Commit.Id, r.Headers["x-amz-version-id"].ToString());
        Assert.Equal($"http://localhost/{repo}/dir/obj.bin", r.Xml.Element("Location")!.Value);
        Assert.DoesNotContain(calls, c => c.Method == nameof(IPachClient.GetFileAsync) && ((FileRef)c.Args[0]!).Path.Contains("/parts/", StringComparison.Ordinal));
        Assert.Equal("NoSuchUpload", (await _gateway.SendAsync("GET", $"/{repo}/dir/obj.bin?uploadId={id}")).ErrorCode);
    }

    [Fact]
    public async Task Complete_WrongETag_InvalidPartNamingTheUploadAndNoCommit()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        await _gateway.PartAsync(repo, "k", id, 1, "only");
        var before = await pachd.CommitCountAsync(repo);

        var r = await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, "\"nope\"")));

        Assert.Equal(400, r.Status);
        Assert.Equal("InvalidPart", r.ErrorCode);
        Assert.Equal(["UploadId", "PartNumber", "ETag"], r.Xml.Elements().Select(e => e.Name.LocalName).Where(n => n is "UploadId" or "PartNumber" or "ETag"));
        Assert.Equal(id, r.Xml.Element("UploadId")!.Value);
        Assert.Equal(before, await pachd.CommitCountAsync(repo));
    }

    [Fact]
    public async Task Complete_SmallPartBeforeTheLast_EntityTooSmall()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var e1 = await _gateway.PartAsync(repo, "k", id, 1, "small");
        var e2 = await _gateway.PartAsync(repo, "k", id, 2, "last");

        var r = await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, e1), (2, e2)));

        Assert.Equal("EntityTooSmall", r.ErrorCode);
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task Complete_AnswersDeferredWork_SoSlowAssembliesAreKeptAlive()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var e1 = await _gateway.PartAsync(repo, "k", id, 1, "only");
        var operation = new CompleteMultipartUploadOperation(8 * _mib, TimeProvider.System, UploadExpiry.Never(TimeProvider.System), NullLogger.Instance);

        var r = await operation.RunAsync(await _gateway.CallAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, e1))));

        Assert.NotNull(r.Deferred);
        Assert.Null(await pachd.ReadAsync(repo, "/k"));
        var done = await r.Deferred!(default);
        Assert.Equal("k", (await done.XmlAsync()).One("Key"));
        Assert.Equal("only", await pachd.ReadAsync(repo, "/k"));
    }

    [Fact]
    public async Task Complete_RetriedWithTheSameParts_TheSameAnswerAndNoNewCommit()
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "dir/k");
        var e1 = await _gateway.PartAsync(repo, "dir/k", id, 1, Filled('a', 5 * _mib));
        var e2 = await _gateway.PartAsync(repo, "dir/k", id, 2, "tail");
        var body = Multipart.CompleteBody((1, e1), (2, e2));
        var first = await _gateway.SendAsync("POST", $"/{repo}/dir/k?uploadId={id}", body);
        Assert.Equal(200, first.Status);
        var commits = await pachd.CommitCountAsync(repo);

        var again = await _gateway.SendAsync("POST", $"/{repo}/dir/k?uploadId={id}", Multipart.CompleteBody((1, e1.Trim('"')), (2, e2)));

        Assert.Equal(200, again.Status);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Headers["x-amz-version-id"].ToString(), again.Headers["x-amz-version-id"].ToString());
        Assert.Equal(commits, await pachd.CommitCountAsync(repo));
        Assert.Equal(Filled('a', 5 * _mib) + "tail", await pachd.ReadAsync(repo, "/dir/k"));
        Assert.Equal("NoSuchUpload", (await _gateway.SendAsync("GET", $"/{repo}/dir/k?uploadId={id}")).ErrorCode);
        Assert.Empty((await _gateway.SendAsync("GET", $"/{repo}?uploads")).Xml.All("UploadId"));
    }

    [Theory]
    [InlineData("other parts")]
    [InlineData("fewer parts")]
    [InlineData("another key")]
    public async Task Complete_RetriedDifferently_NoSuchUpload(string change)
    {
        var repo = await pachd.NewRepoAsync();
        var id = await _gateway.CreateAsync(repo, "k");
        var e1 = await _gateway.PartAsync(repo, "k", id, 1, Filled('a', 5 * _mib));
        var e2 = await _gateway.PartAsync(repo, "k", id, 2, "tail");
        Assert.Equal(200, (await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={id}", Multipart.CompleteBody((1, e1), (2, e2)))).Status);

        var (key, body) = change switch
        {
            "other parts" => ("k", Multipart.CompleteBody((1, e1), (2, e1))),
            "fewer parts" => ("k", Multipart.CompleteBody((1, e1))),
            _ => ("k2", Multipart.CompleteBody((1, e1), (2, e2))),
        };
        var again = await _gateway.SendAsync("POST", $"/{repo}/{key}?uploadId={id}", body);

        Assert.Equal(404, again.Status);
        Assert.Equal("NoSuchUpload", again.ErrorCode);
    }

    [Fact]
    public async Task Complete_UnknownUploadWithAnEmptyBody_NoSuchUploadBeforeTheBody()
    {
        var repo = await pachd.NewRepoAsync();

        var r = await _gateway.SendAsync("POST", $"/{repo}/k?uploadId={new string('0', 32)}", "<CompleteMultipartUpload/>");

        Assert.Equal(404, r.Status);
        Assert.Equal("NoSuchUpload", r.ErrorCode);
    }
}
