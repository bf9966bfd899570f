using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using FunctionsHost.Rpc;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsHost;

/// <summary>The host's life: gRPC server, worker start, init, metadata, load, HTTP, shutdown.</summary>
internal static class Emulator
{
    /// <summary>The host's Kestrel request body limit (ScriptConstants.DefaultMaxRequestBodySize: 100 MiB).</summary>
    public const long DefaultMaxRequestBodySize = 104857600;

    /// <summary>The variable that replaces <see cref="DefaultMaxRequestBodySize"/> (EnvironmentSettingNames.FunctionsRequestBodySizeLimit).</summary>
    public const string BodySizeLimitVariable = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    /// <summary>The version the emulator tells the worker (a v4 host).</summary>
    public const string HostVersion = "4.0.0.0";

    private static readonly TimeSpan _startupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _initTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _terminateGracePeriod = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(EmulatorOptions options)
    {
        var clock = Stopwatch.StartNew();
        var app = AppFiles.Read(options.AppDirectory);
        var workerId = Guid.NewGuid().ToString();
        var channel = new WorkerChannel(workerId, options.Verbose);

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stopping.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stopping.Cancel();
        });
        if (options.StopOnStdinClose)
        {
            var reader = new Thread(() =>
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer) > 0)
                {
                }

                stopping.Cancel();
            })
            { IsBackground = true, Name = "stdin watcher" };
            reader.Start();
        }

        await using var grpc = BuildGrpcServer(channel, options.Verbose);
        await grpc.StartAsync();
        var grpcUri = new Uri($"http://127.0.0.1:{new Uri(Addresses(grpc.Services)[0]).Port}/");

        using var worker = WorkerProcess.Start(app, options.AppDirectory, grpcUri, workerId, options.Verbose);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => worker.KillNow();
        Console.WriteLine($"[host] worker started: {worker.CommandLine}");

        WebApplication? http = null;
        try
        {
            await StepAsync(channel.Connected, worker, stopping.Token, _startupTimeout, "StartStream");
            channel.Send(new StreamingMessage
            {
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = HostVersion,
                    WorkerDirectory = options.AppDirectory,
                    FunctionAppDirectory = options.AppDirectory,
                },
            });
            var init = await StepAsync(channel.InitResponse, worker, stopping.Token, _initTimeout, "WorkerInitResponse");
            EnsureSuccess(init.Result, "worker initialization");
            if (!channel.Capabilities.TryGetValue("HttpUri", out var httpUri) || string.IsNullOrEmpty(httpUri))
            {
                throw new StartupException("The worker does not proxy HTTP (no HttpUri capability); HTTP over gRPC (RpcHttp) is not emulated. Use ConfigureFunctionsWebApplication().", 1);
            }

            if (options.Verbose)
            {
                Console.WriteLine($"[host] worker capabilities: {string.Join(", ", channel.Capabilities.Select(c => $"{c.Key}={c.Value}"))}");
            }

            channel.Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = options.AppDirectory } });
            var metadata = await StepAsync(channel.MetadataResponse, worker, stopping.Token, _startupTimeout, "FunctionMetadataResponse");
            EnsureSuccess(metadata.Result, "function indexing");
            if (metadata.UseDefaultMetadataIndexing)
            {
                throw new StartupException("The worker asks the host to index the functions (use_default_metadata_indexing); host indexing is not emulated.", 1);
            }

            var functions = metadata.FunctionMetadataResults.Select(FunctionDescriptor.From).ToList();
            var loads = await StepAsync(Task.WhenAll(functions.Select(f => channel.LoadAsync(f.ToLoadRequest()))), worker, stopping.Token, _startupTimeout, "FunctionLoadResponse");
            foreach (var load in loads.Where(l => l.Result?.Status != StatusResult.Types.Status.Success))
            {
                Console.WriteLine($"[host] function {functions.First(f => f.FunctionId == load.FunctionId).Name} failed to load: {load.Result?.Exception?.Message}");
            }

            http = BuildHttpServer(options, app, channel, functions, new Uri(httpUri), status =>
                Console.WriteLine($"[host] first function response ({status}) {(DateTime.UtcNow - worker.StartedAt).TotalMilliseconds:F0} ms after the worker's start, {clock.ElapsedMilliseconds} ms after the host's"));
            await http.StartAsync();
            var listening = Addresses(http.Services).Select(a => a.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"[host] {functions.Count} functions loaded; worker up in {(DateTime.UtcNow - worker.StartedAt).TotalMilliseconds:F0} ms, host ready in {clock.ElapsedMilliseconds} ms");
            Console.WriteLine($"FunctionsHost listening on {string.Join(", ", listening)}");

            var stopped = Task.Delay(Timeout.Infinite, stopping.Token);
            await Task.WhenAny(worker.Exited, stopped);
            if (worker.Exited.IsCompleted)
            {
                var code = await worker.Exited;
                Console.Error.WriteLine($"[host] the worker exited with code {code}; the emulator does not restart it.");
                Console.Error.WriteLine(worker.StderrTail);
                return code == 0 ? 1 : code;
            }

            Console.WriteLine("[host] stopping");
            if (channel.HasCapability("HandlesWorkerTerminateMessage"))
            {
                channel.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(_terminateGracePeriod) } });
            }

            await worker.StopAsync(_terminateGracePeriod);
            return 0;
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine($"[host] {e.Message}");
            if (worker.Exited.IsCompleted)
            {
                Console.Error.WriteLine(worker.StderrTail);
            }

            worker.KillNow();
            return e.ExitCode;
        }
        finally
        {
            worker.KillNow();
            if (http is not null)
            {
                await http.StopAsync(TimeSpan.FromSeconds(5));
                await http.DisposeAsync();
            }

            await grpc.StopAsync(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Waits for a startup step, failing when the worker exits, the host stops, or time runs out.</summary>
    private static async Task<T> StepAsync<T>(Task<T> step, WorkerProcess worker, CancellationToken stopping, TimeSpan timeout, string what)
    {
        await StepAsync((Task)step, worker, stopping, timeout, what);
        return await step;
    }

    private static async Task StepAsync(Task step, WorkerProcess worker, CancellationToken stopping, TimeSpan timeout, string what)
    {
        var stopped = Task.Delay(timeout, stopping);
        var done = await Task.WhenAny(step, worker.Exited, stopped);
        if (done == step)
        {
            try
            {
                await step;
                return;
            }
            catch (IOException)
            {
                // The stream ended: most likely the worker died; give its exit a moment to be seen.
                await Task.WhenAny(worker.Exited, Task.Delay(2000));
                if (!worker.Exited.IsCompleted)
                {
                    throw new StartupException($"The worker closed its stream while the host waited for {what}.", 1);
                }
            }
        }

        if (worker.Exited.IsCompleted)
        {
            var code = await worker.Exited;
            throw new StartupException($"The worker exited with code {code} while the host waited for {what}. Its stderr:", code == 0 ? 1 : code);
        }

        throw stopping.IsCancellationRequested
            ? new StartupException($"Stopped while waiting for {what}.", 1)
            : new StartupException($"The worker sent no {what} within {timeout.TotalSeconds:F0} s.", 1);
    }

    private static void EnsureSuccess(StatusResult? result, string what)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new StartupException($"The worker reports failure of {what}: {result?.Exception?.Type} {result?.Exception?.Message}{Environment.NewLine}{result?.Exception?.StackTrace}", 1);
        }
    }

    private static WebApplication BuildGrpcServer(WorkerChannel channel, bool verbose)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        return app;
    }

    private static WebApplication BuildHttpServer(EmulatorOptions options, AppFiles files, WorkerChannel channel, IReadOnlyList<FunctionDescriptor> functions, Uri workerUri, Action<int> firstResponse)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = DefaultMaxRequestBodySize;
            if (options.Urls.Count == 0)
            {
                kestrel.Listen(IPAddress.Loopback, options.Port);
            }

            if (options.TlsPort is { } tlsPort)
            {
                // Azure terminates TLS in front of the host; here the emulator's own listener plays that part.
                var certificate = X509Certificate2.CreateFromPemFile(options.TlsCertificate!, options.TlsKey);
                kestrel.Listen(IPAddress.Loopback, tlsPort, listen => listen.UseHttps(certificate));
            }
        });
        if (options.Urls.Count > 0)
        {
            builder.WebHost.UseUrls([.. options.Urls]);
        }

        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();

        var invoker = new FunctionInvoker(channel, app.Services.GetRequiredService<IHttpForwarder>(), workerUri, options.Verbose) { FirstResponse = firstResponse };
        app.Lifetime.ApplicationStopped.Register(invoker.Dispose);
        var router = FunctionRoutes.Build(functions, files.RoutePrefix, app.Services.GetRequiredService<IInlineConstraintResolver>(), invoker.InvokeAsync, line => Console.WriteLine($"[host] route {line}"));

        // Azure's front end owns the client's connection; the emulator stands in for it (unless --bare-host).
        if (!options.BareHost)
        {
            app.Use(FrontEnd);
        }

        // The host's middleware order, as far as it concerns functions: body size limit, exceptions → 500, the
        // homepage at "/" when no function ran, then the function routes; nothing matched → 404, empty body.
        app.Use(BodySizeLimit());
        app.Use(Exceptions);
        app.UseWhen(context => context.Request.Path.Value == "/", root => root.Use(Homepage));
        app.UseRouter(router);
        return app;
    }

    /// <summary>
    /// The front end's part in the 100-continue handshake, as far as the emulator plays it: a request that announces
    /// <c>Expect: 100-continue</c> with an empty body gets its final answer without a <c>100 Continue</c> (Kestrel sends
    /// none for an empty body), so the client connection is closed after it. The bare host keeps it open, and botocore
    /// (boto3, the AWS CLI) then misreads the next response on that connection and waits for its read timeout
    /// (docs/FUNCTIONS-HOST.md). An assumption about Azure's front end, not a measurement of it.
    /// </summary>
    private static Task FrontEnd(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength == 0
            && context.Request.Headers.Expect.Any(e => e?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true))
        {
            context.Response.Headers.Connection = "close";
        }

        return next(context);
    }

    private static Func<HttpContext, RequestDelegate, Task> BodySizeLimit()
    {
        long? limit = long.TryParse(Environment.GetEnvironmentVariable(BodySizeLimitVariable), out var value) ? value : null;
        return (context, next) =>
        {
            if (limit is { } l && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = l;
            }

            return next(context);
        };
    }

    private static async Task Exceptions(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"[host] {context.Request.Method} {context.Request.Path}: {e.GetType().Name}: {e.Message}{(e.InnerException is null ? string.Empty : " (" + e.InnerException.Message + ")")}");
            if (context.Response.HasStarted)
            {
                throw;
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    private static async Task Homepage(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Items.ContainsKey(FunctionInvoker.FunctionItem) || context.Response.HasStarted)
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("AzureWebJobsDisableHomepage"), "true", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>Your Functions 4.0 app is up and running</title></head><body><h1>Your Functions 4.0 app is up and running</h1><p>(FunctionsHost emulator: the Azure Functions host's homepage, served at / when no function's route matches it.)</p></body></html>");
    }

    private static List<string> Addresses(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private sealed class StartupException(string message, int exitCode) : Exception(message)
    {
        public int ExitCode { get; } = exitCode;
    }
}
