using ActorHost.Actors;
using ActorHost.Workers.Runtime;

namespace ActorHost.Workers.Events;

/// <summary>
/// Reads the kernel's event stream and turns what concerns the routes into <see cref="WorkerEvent"/>s
/// (published on the <see cref="WorkerEventStream"/>), with worker-level incarnation numbers. It is also where a request that
/// became a dead letter (its worker had stopped) is completed as worker_stopped — never left hanging. Its
/// subscription is effectively unbounded, so no dead letter is ever dropped from it.
/// </summary>
internal sealed class SupervisionEventTranslator : IDisposable
{
    private readonly RuntimeServices _services;
    private readonly EventSubscription<object> _subscription;

    public SupervisionEventTranslator(RuntimeServices services, EventStream stream)
    {
        _services = services;
        _subscription = stream.Subscribe<object>(int.MaxValue);
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Completes when the stream has completed (the system terminated) and every event was handled.</summary>
    public Task Completion { get; }

    private async Task RunAsync()
    {
        await foreach (object item in _subscription.ReadAllAsync())
        {
            // (The kernel stream completes when the system has terminated; the worker stream completes after.)
            try
            {
                Handle(item);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug here must not stop the loop that completes dead-lettered requests.
                Diagnostics.WorkerLog.RuntimeFault(_services.Logger, e, nameof(SupervisionEventTranslator));
            }
        }
    }

    private void Handle(object item)
    {
        switch (item)
        {
            case PendingWorkerEvent pending:
                _services.WorkerEvents.Publish(pending.Event);
                break;
            case DeadLetter { Message: RequestEnvelope envelope } deadLetter:
                _services.Untrack(envelope);
                RequestCompletion.WorkerStopped(envelope, new ActorStoppedException($"{deadLetter.Recipient.Path} stopped before it could serve the request."));
                Publish(new RequestDeadLettered(RoutePaths.RouteOf(deadLetter.Recipient.Path) ?? envelope.Request.Route, deadLetter.Recipient.Path.ToString(), envelope.Request.RequestId), deadLetter);
                break;
            case ActorFailed failed when RoutePaths.RouteOf(failed.Path) is { } route:
                OnFailed(route, failed);
                break;
            case RetriesExhausted exhausted when RoutePaths.RouteOf(exhausted.Path) is { } route:
                Publish(new WorkerRetriesExhausted(route, exhausted.Path.ToString(), _services.OriginOf(exhausted.Exception)?.Incarnation ?? exhausted.Incarnation, exhausted.MaxNrOfRetries, exhausted.WithinTimeRange), exhausted);
                break;
            case ActorEscalated escalated when escalated.Path.IsDescendantOrSelf(ActorPath.Root.Child("user")):
                string fromRoute = _services.OriginOf(escalated.Exception)?.Route ?? RoutePaths.RouteOf(escalated.Child) ?? string.Empty;
                Publish(new FailureEscalated(fromRoute, escalated.Path.ToString(), escalated.Child.ToString(), escalated.Exception), escalated);
                break;
        }
    }

    private void OnFailed(string route, ActorFailed failed)
    {
        string path = failed.Path.ToString();
        FailureOrigin? origin = _services.OriginOf(failed.Exception) is { } o && o.Path == path ? o : null;
        if (origin is { Slot: { } slot } && failed.Directive == Directive.Stop)
        {
            // Mark before releasing the failed request's result: whoever reacts to that result must find
            // new requests already routed away from this worker.
            slot.Stopping = true;
            origin.Host?.Withdraw(slot);
        }

        int incarnation = origin?.Incarnation ?? failed.Incarnation;
        Publish(new WorkerFailed(route, path, incarnation, failed.Exception, WorkerDecider.FromKernel(failed.Directive)), failed);
        if (failed.Directive == Directive.Stop && IsOwnInitializationFailure(failed))
        {
            // The kernel drops an instance whose constructor or start threw: it gets no PostStop, where a worker
            // reports its stop. So the stop is reported here, once, like any other (log line, metric, /workers).
            Publish(new WorkerStopped(route, path, incarnation, WorkerStopReason.Stopped), failed);
        }

        if (origin?.TakeEnvelope() is { } envelope)
        {
            _services.ReleaseFailure(envelope);
        }
    }

    /// <summary>
    /// The actor's own construction or start failed (the kernel's <see cref="ActorInitializationException"/> or
    /// <see cref="PostRestartException"/> for this actor), so no instance of it is left to run PostStop. An
    /// initialization exception a handler threw itself names no actor, and its worker still stops through PostStop.
    /// </summary>
    private static bool IsOwnInitializationFailure(ActorFailed failed) =>
        failed.Exception is ActorInitializationException { Actor: { } actor } && actor.Equals(failed.Path);

    private void Publish(WorkerEvent workerEvent, ActorEvent source) =>
        _services.WorkerEvents.Publish(workerEvent with { Timestamp = source.Timestamp });

    public void Dispose() => _subscription.Dispose();
}
