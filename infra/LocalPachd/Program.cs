using System.Runtime.InteropServices;
using LocalPachd;
using LocalPachd.Hosting;

// LocalPachd as its own process: dotnet run --project infra/LocalPachd -- --data DIR --port 30650
var options = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
if (options is null)
{
    await Console.Error.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
    return 2;
}

// SIGINT/SIGTERM stop the server gracefully (the default handling would end the process first).
var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var server = await LocalPachdServer.StartAsync(options, stop.Token).ConfigureAwait(false);
await using (server.ConfigureAwait(false))
{
    Console.WriteLine($"LocalPachd listening on {server.Address.GetLeftPart(UriPartial.Authority)} (data: {server.DataDirectory})");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
