namespace Gateway.Pachyderm.Tests.Hosting;

/// <summary>Starts LocalPachd instances one way (in this process, or as a child process).</summary>
public abstract class PachdLauncher
{
    /// <summary>Shown in test output.</summary>
    public abstract string Mode { get; }

    /// <summary>Starts LocalPachd on <paramref name="dataDirectory"/> (kept on dispose) and waits until it answers.</summary>
    public abstract Task<IPachdHost> StartAsync(string dataDirectory, CancellationToken cancellationToken = default);

    /// <summary>A new empty data directory under the temp folder.</summary>
    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "pachclient-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a data directory made by <see cref="NewDataDirectory"/>.</summary>
    public static void DeleteDataDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Polls GetVersion until the server answers (no fixed sleeps: it is ready when it says so).</summary>
    public static async Task WaitUntilServingAsync(Uri address, Func<bool> stillRunning, Func<string> diagnostics, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = PachClient.Create(new PachClientOptions { Address = address.ToString() });
        var deadline = DateTime.UtcNow + timeout;
        PachException? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (!stillRunning())
            {
                throw new InvalidOperationException($"LocalPachd exited before serving at {address}.{Environment.NewLine}{diagnostics()}");
            }
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await client.GetVersionAsync(attempt.Token);
                return;
            }
            catch (PachException e) when (e.Kind == PachErrorKind.Unavailable)
            {
                last = e;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This attempt timed out; try again until the overall deadline.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"LocalPachd did not serve at {address} within {timeout}: {last?.Message}{Environment.NewLine}{diagnostics()}");
    }
}
