using ActorHost.Gateway.Management.Stats;
using ActorHost.Gateway.Management.Workers;
using ActorHost.Workers;
using ActorHost.Workers.Events;
using ActorHost.Workers.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// Fills the <see cref="EventRing"/>: it is one subscriber of the runtime's supervision event stream (the
/// same stream the worker log and metrics subscribe to), updating the <see cref="WorkerLedger"/> on the way,
/// and once a second it appends a <c>requests</c> summary of what finished per route (from
/// <see cref="RequestStatistics"/>), so the dashboard's charts are fed by events, not by polling.
/// </summary>
internal sealed class EventRingFeeder : BackgroundService
{
    /// <summary>How often request outcomes are summarised onto the stream.</summary>
    internal static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(1);

    private const int SubscriptionCapacity = 65_536;

    private readonly EventRing _ring;
    private readonly WorkerLedger _ledger;
    private readonly RequestStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly WorkerEventSubscription? _subscription;

    public EventRingFeeder(IWorkerRuntime runtime, EventRing ring, WorkerLedger ledger, RequestStatistics statistics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _ring = ring;
        _ledger = ledger;
        _statistics = statistics;
        _time = time;
        _log = loggerFactory.CreateLogger(ManagementLog.Category);

        // Subscribed at construction (before the host starts anything), so early supervision events are kept.
        _subscription = (runtime as WorkerRuntime)?.Events.Subscribe(SubscriptionCapacity);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ReadSupervisionEventsAsync(stoppingToken), SummariseRequestsAsync(stoppingToken));

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    private async Task ReadSupervisionEventsAsync(CancellationToken stoppingToken)
    {
        if (_subscription is null)
        {
            return;
        }

        long droppedReported = 0;
        try
        {
            await foreach (WorkerEvent item in _subscription.ReadAllAsync(stoppingToken))
            {
                try
                {
                    _ledger.Apply(item);
                    if (WorkerEventData.Describe(item) is (string type, object data))
                    {
                        _ring.Append(type, item.Timestamp == default ? _time.GetUtcNow() : item.Timestamp, data);
                    }

                    long dropped = _subscription.DroppedCount;
                    if (dropped > droppedReported)
                    {
                        // Said on the stream itself: a reader must never believe it saw everything when it did not.
                        _ring.Append("stream.dropped", _time.GetUtcNow(), new { dropped = dropped - droppedReported });
                        droppedReported = dropped;
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    ManagementLog.ManagementFault(_log, e, nameof(EventRingFeeder));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task SummariseRequestsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SummaryInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                IReadOnlyList<object> routes = _statistics.TakeInterval();
                if (routes.Count > 0)
                {
                    _ring.Append("requests", _time.GetUtcNow(), new { intervalMs = (int)SummaryInterval.TotalMilliseconds, windowSeconds = _statistics.WindowSeconds, routes });
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
