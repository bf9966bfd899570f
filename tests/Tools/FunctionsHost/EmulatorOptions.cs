namespace FunctionsHost;

/// <summary>The emulator's command line.</summary>
internal sealed class EmulatorOptions
{
    public const string Usage = """
        usage: dotnet FunctionsHost.dll --app <dir> [--port <http port>] [--urls <url;url...>]
                                        [--tls-port <https port> --tls-cert <pem> [--tls-key <pem>]]
                                        [--bare-host] [--verbose] [--stop-on-stdin-close]

          --app DIR              the function app: a .NET isolated worker's build or publish output
                                 (worker.config.json, functions.metadata, host.json)
          --port PORT            HTTP port on 127.0.0.1 (default 0: any free port, printed when ready)
          --urls URLS            listen on these URLs instead (e.g. http://0.0.0.0:7071), ';'-separated
          --tls-port PORT        also serve https on 127.0.0.1:PORT (standing in for Azure's TLS front end)
          --tls-cert FILE        PEM certificate for --tls-port; --tls-key FILE: its key (default: in the cert file)
          --bare-host            leave out the stand-in for Azure's front end (connection close after an
                                 empty-bodied Expect: 100-continue request), as under `func start`
          --verbose              also print the worker's debug/trace logs and every invocation
          --stop-on-stdin-close  shut down (worker included) when standard input reaches its end
        The worker inherits this process's environment (GATEWAY_DATA_DIR, PACHD_ADDRESS, ...).
        Ready when it prints: FunctionsHost listening on <url>
        """;

    public required string AppDirectory { get; init; }

    public int Port { get; init; }

    public IReadOnlyList<string> Urls { get; init; } = [];

    public int? TlsPort { get; init; }

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    public bool BareHost { get; init; }

    public bool Verbose { get; init; }

    public bool StopOnStdinClose { get; init; }

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> with a message on a bad one.</summary>
    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        string? app = null;
        var port = 0;
        List<string> urls = [];
        bool verbose = false, stdin = false, bare = false;
        int? tlsPort = null;
        string? tlsCert = null, tlsKey = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--app":
                    app = Value();
                    break;
                case "--port":
                    port = int.TryParse(Value(), out var p) && p is >= 0 and <= 65535 ? p : throw new ArgumentException("--port must be 0-65535");
                    break;
                case "--urls":
                    urls.AddRange(Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--tls-port":
                    tlsPort = int.TryParse(Value(), out var t) && t is >= 0 and <= 65535 ? t : throw new ArgumentException("--tls-port must be 0-65535");
                    break;
                case "--tls-cert":
                    tlsCert = Path.GetFullPath(Value());
                    break;
                case "--tls-key":
                    tlsKey = Path.GetFullPath(Value());
                    break;
                case "--bare-host":
                    bare = true;
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                case "--stop-on-stdin-close":
                    stdin = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (string.IsNullOrEmpty(app))
        {
            throw new ArgumentException("--app is required");
        }

        if ((tlsPort is null) != (tlsCert is null))
        {
            throw new ArgumentException("--tls-port and --tls-cert go together");
        }

        var directory = Path.GetFullPath(app);
        if (!File.Exists(Path.Combine(directory, "worker.config.json")))
        {
            throw new ArgumentException($"{directory} has no worker.config.json: not a function app's build output");
        }

        return new EmulatorOptions { AppDirectory = directory, Port = port, Urls = urls, TlsPort = tlsPort, TlsCertificate = tlsCert, TlsKey = tlsKey, BareHost = bare, Verbose = verbose, StopOnStdinClose = stdin };
    }
}
