using System.Diagnostics;

namespace FunctionsHost;

/// <summary>
/// The language worker process, started as the Functions host (v4) starts it: the executable and worker path of
/// worker.config.json followed by the host's connection arguments, in both spellings (<c>--host/--port/--workerId/
/// --requestId/--grpcMaxMessageLength</c> and the <c>--functions-*</c> twins the .NET worker reads), working directory
/// and FUNCTIONS_WORKER_DIRECTORY / FUNCTIONS_APPLICATION_DIRECTORY the app directory, the host's environment inherited.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    /// <summary>The host's gRPC message size limit (RpcWorkerConstants.DefaultMaxMessageLengthBytes: int.MaxValue).</summary>
    public const int MaxMessageLength = int.MaxValue;

    private const int _stderrLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _echo;

    private WorkerProcess(Process process, bool echo)
    {
        _process = process;
        _echo = echo;
    }

    /// <summary>The worker id the worker must answer with in StartStream.</summary>
    public required string WorkerId { get; init; }

    /// <summary>The full command line, for the log.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Completes with the exit code when the process has exited (and its output is drained).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>When the process was started.</summary>
    public DateTime StartedAt { get; private set; }

    /// <summary>The last lines the worker wrote to stderr.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    /// <summary>Builds the command line and environment the host would, and starts the process.</summary>
    public static WorkerProcess Start(AppFiles app, string appDirectory, Uri grpcUri, string workerId, bool echo)
    {
        var requestId = Guid.NewGuid().ToString();
        var info = new ProcessStartInfo(app.ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = appDirectory,
        };
        foreach (var a in app.ExecutableArguments)
        {
            info.ArgumentList.Add(a);
        }

        info.ArgumentList.Add(app.WorkerPath);
        foreach (var a in app.WorkerArguments)
        {
            info.ArgumentList.Add(a);
        }

        string[] connection =
        [
            "--host", grpcUri.Host, "--port", grpcUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--functions-uri", grpcUri.AbsoluteUri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        foreach (var a in connection)
        {
            info.ArgumentList.Add(a);
        }

        // The host's own settings (in Azure: app settings) reach the worker through the inherited environment; the
        // host adds these for the worker.
        info.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        info.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        info.Environment["AzureWebJobsScriptRoot"] = appDirectory;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, echo)
        {
            WorkerId = workerId,
            CommandLine = info.FileName + " " + string.Join(' ', info.ArgumentList),
        };
        var outputDone = new CountdownEvent(2);
        process.OutputDataReceived += (_, e) => worker.OnOutput(e.Data, isError: false, outputDone);
        process.ErrorDataReceived += (_, e) => worker.OnOutput(e.Data, isError: true, outputDone);
        process.Exited += (_, _) => Task.Run(() =>
        {
            // Both streams end after the process; wait a little for their last lines.
            outputDone.Wait(TimeSpan.FromSeconds(5));
            worker._exited.TrySetResult(process.ExitCode);
        });
        worker.StartedAt = DateTime.UtcNow;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void OnOutput(string? line, bool isError, CountdownEvent done)
    {
        if (line is null)
        {
            done.Signal();
            return;
        }

        if (isError)
        {
            lock (_stderr)
            {
                _stderr.Enqueue(line);
                while (_stderr.Count > _stderrLines)
                {
                    _stderr.Dequeue();
                }
            }
        }

        if (_echo || isError)
        {
            Console.WriteLine($"[worker{(isError ? " stderr" : string.Empty)}] {line}");
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit, then kills it (with its children).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(Exited, Task.Delay(timeout)) != Exited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    /// <summary>Kills the process now if it still runs (used when the emulator itself exits).</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
    }

    public void Dispose() => _process.Dispose();
}
