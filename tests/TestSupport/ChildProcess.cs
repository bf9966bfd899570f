using System.Diagnostics;
using System.Text;

namespace Gateway.TestSupport;

/// <summary>
/// A child process that a test starts and watches: its standard output and error are captured line by line, in the
/// order they arrive, for assertions and failure messages; a test can wait for a line or for the exit, each with a
/// timeout; disposing kills what is still running, with its whole process tree, so a failing test leaves nothing
/// behind. Linked into each test project that runs programs (tests/TestSupport).
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan _killWait = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Line)> _waiters = [];
    private readonly Task _exited;

    private ChildProcess(ProcessStartInfo info)
    {
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        try
        {
            _process.Start();
        }
        catch
        {
            _process.Dispose();
            throw;
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Completes once the process has ended and both streams are read to their end.
        _exited = _process.WaitForExitAsync();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (once <see cref="HasExited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The lines printed so far, standard output and error interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Everything printed so far, one line after another.</summary>
    public string Output
    {
        get
        {
            var text = new StringBuilder();
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    text.AppendLine(line);
                }
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>. <paramref name="environment"/> changes this
    /// process's environment for the child: a name with a value sets it, a name with <see langword="null"/> removes it.
    /// With <paramref name="redirectStandardInput"/> the child reads from a pipe that <see cref="CloseStandardInput"/>
    /// closes; otherwise it inherits this process's standard input.
    /// </summary>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        bool redirectStandardInput = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = redirectStandardInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return new ChildProcess(info);
    }

    /// <summary>
    /// The first line (already printed or still to come) that <paramref name="matches"/> accepts; <see langword="null"/>
    /// when the process ends without one or <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        var waiter = (Matches: matches, Line: new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lines)
        {
            foreach (var line in _lines)
            {
                if (matches(line))
                {
                    return line;
                }
            }

            _waiters.Add(waiter);
        }

        try
        {
            await Task.WhenAny(waiter.Line.Task, _exited).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Neither came in time: no line.
        }
        finally
        {
            lock (_lines)
            {
                _waiters.Remove(waiter);
            }
        }

        // All output is read before the exit completes, so a matching last line has set the result by then.
        return waiter.Line.Task.IsCompletedSuccessfully ? await waiter.Line.Task : null;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Closes the child's standard input (started with <c>redirectStandardInput</c>): end of input for it.</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Kills the process and its descendants if it still runs, and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended in between.
            }
        }

        // A descendant that left the tree may still hold the output pipes open: wait for it a bounded time only.
        await WaitForExitAsync(_killWait);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters)
            {
                if (waiter.Matches(line))
                {
                    waiter.Line.TrySetResult(line);
                }
            }
        }
    }
}
