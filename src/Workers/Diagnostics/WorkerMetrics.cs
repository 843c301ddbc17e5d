using System.Diagnostics.Metrics;

namespace ActorHost.Workers.Diagnostics;

/// <summary>
/// The worker side's instruments (meter <c>ActorHost.Workers</c>): failures by route and directive, restarts
/// and stops by route, dead-lettered requests, stuck handlers, plus observable live workers and mailbox depth
/// per route. Counters are fed by the supervision event stream; gauges are read when collected.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ActorHost.Workers";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _stops;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _stuck;
    private Func<IEnumerable<Measurement<int>>> _liveWorkers = () => [];
    private Func<IEnumerable<Measurement<int>>> _mailboxDepth = () => [];

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (or a private meter).</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    public WorkerMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _failures = _meter.CreateCounter<long>("actorhost.worker.failures", "{failure}", "Worker failures by route and the supervision directive applied.");
        _restarts = _meter.CreateCounter<long>("actorhost.worker.restarts", "{restart}", "Worker restarts by route.");
        _stops = _meter.CreateCounter<long>("actorhost.worker.stops", "{stop}", "Workers stopped for good, by route and reason (stopped, passivated, shutdown).");
        _deadLetters = _meter.CreateCounter<long>("actorhost.worker.dead_letters", "{request}", "Requests that reached a stopped worker (answered worker_stopped).");
        _stuck = _meter.CreateCounter<long>("actorhost.worker.stuck", "{handler}", "Handlers abandoned as stuck.");
        _meter.CreateObservableUpDownCounter("actorhost.worker.live", () => _liveWorkers(), "{worker}", "Live worker incarnations by route.");
        _meter.CreateObservableGauge("actorhost.worker.mailbox.depth", () => _mailboxDepth(), "{request}", "Requests waiting in worker mailboxes, by route.");
    }

    /// <summary>The meter (for listeners that filter by instance).</summary>
    public Meter Meter => _meter;

    internal void Observe(Func<IEnumerable<Measurement<int>>> liveWorkers, Func<IEnumerable<Measurement<int>>> mailboxDepth)
    {
        _liveWorkers = liveWorkers;
        _mailboxDepth = mailboxDepth;
    }

    internal void Failed(string route, string directive) =>
        _failures.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("directive", directive));

    internal void Restarted(string route) => _restarts.Add(1, new KeyValuePair<string, object?>("route", route));

    internal void Stopped(string route, string reason) =>
        _stops.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("reason", reason));

    internal void DeadLettered(string route) => _deadLetters.Add(1, new KeyValuePair<string, object?>("route", route));

    internal void Stuck(string route) => _stuck.Add(1, new KeyValuePair<string, object?>("route", route));

    /// <summary>Disposes the meter when this instance created it (a factory's meters belong to the factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
