using System.Net;
using System.Net.Sockets;

namespace Gateway.Pachyderm.Tests.Support;

/// <summary>
/// A loopback TCP port where pachd should be but nothing useful happens: <see cref="AcceptingAsync"/> accepts
/// connections and never sends a byte (a pachd that hangs); <see cref="Unreachable"/> never completes a connection,
/// because its accept queue is full and Linux drops further SYNs (an address that drops packets).
/// </summary>
public sealed class SilentEndpoint : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    private SilentEndpoint(Socket listener) => _listener = listener;

    /// <summary>host:port of the endpoint.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    /// <summary>Accepts every connection and holds it open without reading or writing.</summary>
    public static SilentEndpoint Accepting()
    {
        var endpoint = new SilentEndpoint(Listen(backlog: 16));
        _ = endpoint.AcceptLoopAsync();
        return endpoint;
    }

    /// <summary>Never accepts: the one-place accept queue is filled, so further connection attempts hang.</summary>
    public static async Task<SilentEndpoint> UnreachableAsync()
    {
        var endpoint = new SilentEndpoint(Listen(backlog: 0));
        var target = (IPEndPoint)endpoint._listener.LocalEndPoint!;
        for (var i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            endpoint._held.Add(filler);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(target, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // This attempt hangs: the queue is full, and so will the client's be.
                return endpoint;
            }
        }

        endpoint.Dispose();
        throw new InvalidOperationException("Could not fill the accept queue: connections to a full listener do not hang here.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private static Socket Listen(int backlog)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(backlog);
        return socket;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var accepted = await _listener.AcceptAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(accepted);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed.
        }
    }
}
