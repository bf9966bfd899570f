using Gateway.Core.Logging;
using Gateway.Pachyderm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Health;

/// <summary>
/// Whether the gateway can serve S3 now: pachd answers and its auth mode is known. One probe is the question every
/// request asks first anyway ("is auth active?", an unauthenticated WhoAmI), bounded by
/// <see cref="GatewayOptions.ReadinessTimeoutSeconds"/>; its answer is reused for
/// <see cref="GatewayOptions.ReadinessCacheSeconds"/>, and callers that arrive while a probe runs share it, so
/// however often probes come, pachd sees at most one call per cache period.
/// </summary>
public sealed class PachdReadiness
{
    private readonly IPachClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _cacheFor;
    private readonly Lock _gate = new();
    private Task<bool>? _probe;
    private volatile Answer? _last;

    internal PachdReadiness(IPachClient client, IOptions<GatewayOptions> options, TimeProvider time, ILogger<PachdReadiness> logger)
        : this(client, TimeSpan.FromSeconds(Math.Max(0.1, options.Value.ReadinessTimeoutSeconds)), TimeSpan.FromSeconds(Math.Max(0, options.Value.ReadinessCacheSeconds)), time, logger)
    {
    }

    internal PachdReadiness(IPachClient client, TimeSpan timeout, TimeSpan cacheFor, TimeProvider time, ILogger logger)
    {
        _client = client;
        _timeout = timeout;
        _cacheFor = cacheFor;
        _time = time;
        _logger = logger;
    }

    /// <summary>pachd's auth mode as last seen by a successful probe (null before the first).</summary>
    public bool? AuthActive { get; private set; }

    /// <summary>
    /// True when pachd answered the last probe (made now, or less than the cache period ago). Never throws for pachd
    /// failures; <paramref name="cancellationToken"/> only stops this caller's wait, not the shared probe.
    /// </summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        var last = _last;
        if (last is not null && last.Until > _time.GetUtcNow())
        {
            return last.Ready;
        }

        Task<bool> probe;
        lock (_gate)
        {
            if (_probe is null || _probe.IsCompleted)
            {
                last = _last;
                if (last is not null && last.Until > _time.GetUtcNow())
                {
                    return last.Ready;
                }

                _probe = ProbeAsync();
            }

            probe = _probe;
        }

        return await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ProbeAsync()
    {
        // Off the caller's stack: a probe that completes synchronously must not run inside the lock.
        await Task.Yield();
        bool ready;
        string? failure = null;
        using var timeout = new CancellationTokenSource(_timeout, _time);
        try
        {
            AuthActive = await _client.IsAuthActiveAsync(timeout.Token).ConfigureAwait(false);
            ready = true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            ready = false;
            failure = "no answer within " + _timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s";
        }
        catch (PachException e)
        {
            ready = false;
            failure = e.Kind.ToString();
        }
#pragma warning disable CA1031 // A probe answers "not ready" for any failure; the kind is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ready = false;
            failure = e.GetType().Name;
        }

        var previous = _last;
        _last = new Answer(ready, _time.GetUtcNow() + _cacheFor);
        if (previous is null || previous.Ready != ready)
        {
            if (ready)
            {
                GatewayLog.PachdReachable(_logger, AuthActive == true);
            }
            else
            {
                GatewayLog.PachdUnreachable(_logger, failure ?? "unknown");
            }
        }

        return ready;
    }

    private sealed record Answer(bool Ready, DateTimeOffset Until);
}
