using System.Globalization;
using System.Runtime.InteropServices;
using Gateway.Pachyderm;
using PachBench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await using var server = await BenchServer.StartAsync(options, cancel.Token);
using var client = PachClient.Create(new PachClientOptions { Address = server.Address.ToString(), WrapUploadBuffers = false });
using var wrapping = PachClient.Create(new PachClientOptions { Address = server.Address.ToString(), WrapUploadBuffers = true });
var version = await client.GetVersionAsync(cancel.Token);

var runner = new BenchRunner(options, server, client, wrapping);
await runner.RunAsync(cancel.Token);

var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"# PachBench {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", invariant)}");
Console.WriteLine();
Console.WriteLine($"- command: `PachBench {string.Join(' ', args)}`");
Console.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.ProcessArchitecture}");
Console.WriteLine($"- server: {server.Mode} at {server.Address} (reports version {version.Major}.{version.Minor}.{version.Micro}{version.Additional})");
Console.WriteLine($"- client GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}; RSS columns: MiB at phase start → sampled peak (every 50 ms), and VmHWM reset at phase start");
Console.WriteLine();
string[] header = ["benchmark", "amount", "time", "rate", "client RSS MiB", "server RSS MiB", "CPU s client / server"];
Console.WriteLine($"| {string.Join(" | ", header)} |");
Console.WriteLine($"|{string.Join("|", header.Select(_ => "---"))}|");
foreach (var row in runner.Rows)
{
    Console.WriteLine($"| {string.Join(" | ", row)} |");
}
Console.WriteLine();
foreach (var note in runner.Notes)
{
    Console.WriteLine($"- {note}");
}
return 0;
