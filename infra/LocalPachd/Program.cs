using System.Globalization;
using System.Runtime.InteropServices;
using LocalPachd;

// LocalPachd as its own process: dotnet run --project infra/LocalPachd -- --data DIR --port 30650
var options = new LocalPachdOptions();
if (Environment.GetEnvironmentVariable("LOCALPACHD_DATA") is { Length: > 0 } envData)
{
    options.DataDirectory = envData;
}

if (Environment.GetEnvironmentVariable("LOCALPACHD_PORT") is { Length: > 0 } envPort)
{
    options.Port = int.Parse(envPort, CultureInfo.InvariantCulture);
}

for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--data" when value is not null:
            options.DataDirectory = value;
            i++;
            break;
        case "--port" when value is not null:
            options.Port = int.Parse(value, CultureInfo.InvariantCulture);
            i++;
            break;
        case "--bind" when value is not null:
            options.BindAddress = value;
            i++;
            break;
        case "--verbose":
            options.MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Information;
            break;
        default:
            await Console.Error.WriteLineAsync("usage: LocalPachd [--data DIR] [--port PORT] [--bind ADDRESS] [--verbose]").ConfigureAwait(false);
            return 2;
    }
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
