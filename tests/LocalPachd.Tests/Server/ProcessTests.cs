using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using VersionApi = Gateway.Pachyderm.Protos.Version.API;

namespace LocalPachd.Tests.Server;

public sealed class ProcessTests
{
    [Fact]
    public async Task KillDashNine_AfterAcknowledgedWrites_EverythingReadsBackOnRestart()
    {
        var directory = TestServer.NewDirectory();
        var big = new byte[9 * 1024 * 1024 + 3];
        Random.Shared.NextBytes(big);
        var (process, address) = await LocalPachdProcess.StartAsync(directory);
        try
        {
            using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = LocalPachdServer.MaxMessageSize });
            var client = new Gateway.Pachyderm.Protos.Pfs.API.APIClient(channel);
            await client.CreateRepoAsync(new Gateway.Pachyderm.Protos.Pfs.CreateRepoRequest { Repo = TestServer.Repo("r") });
            for (var i = 0; i < 20; i++)
            {
                using var call = client.ModifyFile();
                await call.RequestStream.WriteAsync(new Gateway.Pachyderm.Protos.Pfs.ModifyFileRequest { SetCommit = TestServer.Head("r") });
                await call.RequestStream.WriteAsync(TestServer.Add($"/small/{i}", $"value {i}"));
                if (i == 19)
                {
                    await call.RequestStream.WriteAsync(TestServer.Add("/big", big));
                }

                await call.RequestStream.CompleteAsync();
                await call;
            }

            // SIGKILL straight after the last acknowledgement.
            process.Kill();
            await process.WaitForExitAsync();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        try
        {
            await using var server = await TestServer.StartAsync(directory);
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal($"value {i}", await server.GetTextAsync(TestServer.Head("r"), $"/small/{i}"));
            }

            var info = await server.Pfs.InspectFileAsync(new Gateway.Pachyderm.Protos.Pfs.InspectFileRequest { File = TestServer.File(TestServer.Head("r"), "/big") });
            Assert.Equal(big.Length, info.SizeBytes);
            using var get = server.Pfs.GetFile(new Gateway.Pachyderm.Protos.Pfs.GetFileRequest { File = TestServer.File(TestServer.Head("r"), "/big") });
            var received = new List<byte>(big.Length);
            await foreach (var chunk in get.ResponseStream.ReadAllAsync())
            {
                received.AddRange(chunk.Value);
            }

            Assert.True(big.AsSpan().SequenceEqual(received.ToArray()));
        }
        finally
        {
            TestServer.TryDelete(directory);
        }
    }

    [Fact]
    public async Task Program_PrintsAddressServesAndStopsOnSigterm()
    {
        var directory = TestServer.NewDirectory();
        var start = LocalPachdProcess.StartInfo("--port", "0");
        start.Environment["LOCALPACHD_DATA"] = directory;
        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var match = LocalPachdProcess.ListeningLine().Match(line ?? string.Empty);
            Assert.True(match.Success, line);
            Assert.Equal(Path.GetFullPath(directory), match.Groups[2].Value);

            using (var channel = GrpcChannel.ForAddress(match.Groups[1].Value))
            {
                var version = await new VersionApi.APIClient(channel).GetVersionAsync(new Google.Protobuf.WellKnownTypes.Empty());
                Assert.Equal(11u, version.Minor);
            }

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            TestServer.TryDelete(directory);
        }
    }
}
