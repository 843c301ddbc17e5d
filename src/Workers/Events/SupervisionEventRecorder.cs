using ActorHost.Workers.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Events;

/// <summary>Logs and meters <see cref="WorkerEvent"/>s: one subscriber of the stream, like the dashboard will be.</summary>
internal sealed class SupervisionEventRecorder : IDisposable
{
    private readonly ILogger _logger;
    private readonly WorkerMetrics _metrics;
    private readonly WorkerEventSubscription _subscription;

    public SupervisionEventRecorder(WorkerEventStream stream, ILogger logger, WorkerMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
        _subscription = stream.Subscribe(int.MaxValue);
        Completion = Task.Run(RunAsync);
    }

    public Task Completion { get; }

    private async Task RunAsync()
    {
        await foreach (WorkerEvent item in _subscription.ReadAllAsync())
        {
            try
            {
                Record(item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                WorkerLog.RuntimeFault(_logger, e, nameof(SupervisionEventRecorder));
            }
        }
    }

    private void Record(WorkerEvent item)
    {
        switch (item)
        {
            case WorkerStarted started:
                WorkerLog.WorkerStarted(_logger, started.Route, started.Path, started.Incarnation);
                break;
            case WorkerFailed failed:
                string directive = ConfigWords.Of(failed.Directive);
                WorkerLog.WorkerFailed(_logger, failed.Route, failed.Path, failed.Incarnation, failed.Exception.GetType().FullName ?? failed.Exception.GetType().Name, directive);
                _metrics.Failed(failed.Route, directive);
                break;
            case WorkerRestarted restarted:
                WorkerLog.WorkerRestarted(_logger, restarted.Route, restarted.Path, restarted.Incarnation, restarted.CauseType);
                _metrics.Restarted(restarted.Route);
                break;
            case WorkerStopped { Reason: WorkerStopReason.Passivated } passivated:
                WorkerLog.WorkerPassivated(_logger, passivated.Route, passivated.Path, passivated.Incarnation);
                _metrics.Stopped(passivated.Route, ConfigWords.Of(passivated.Reason));
                break;
            case WorkerStopped stopped:
                string reason = ConfigWords.Of(stopped.Reason);
                WorkerLog.WorkerStopped(_logger, stopped.Route, stopped.Path, stopped.Incarnation, reason);
                _metrics.Stopped(stopped.Route, reason);
                break;
            case WorkerRetriesExhausted exhausted:
                string window = exhausted.WithinTimeRange?.ToString() ?? "infinite";
                WorkerLog.RetriesExhausted(_logger, exhausted.Route, exhausted.Path, exhausted.MaxNrOfRetries, window);
                break;
            case FailureEscalated escalated:
                WorkerLog.FailureEscalated(_logger, escalated.Path, escalated.Child, escalated.Exception.GetType().FullName ?? escalated.Exception.GetType().Name);
                break;
            case WorkerStuck stuck:
                WorkerLog.WorkerStuck(_logger, stuck.Route, stuck.Path, stuck.Incarnation, stuck.RequestId);
                _metrics.Stuck(stuck.Route);
                break;
            case RequestDeadLettered deadLettered:
                WorkerLog.RequestDeadLettered(_logger, deadLettered.Route, deadLettered.Path, deadLettered.RequestId);
                _metrics.DeadLettered(deadLettered.Route);
                break;
            case WorkerHookFailed hookFailed:
                WorkerLog.WorkerHookFailed(_logger, hookFailed.Exception, hookFailed.Route, hookFailed.Path, hookFailed.Incarnation);
                break;
            case AbandonedHandlerEnded abandoned:
                WorkerLog.AbandonedHandlerEnded(_logger, abandoned.Route, abandoned.Path, abandoned.Incarnation, abandoned.ExceptionType ?? "returned");
                break;
        }
    }

    public void Dispose() => _subscription.Dispose();
}
