using ActorHost.Actors;
using ActorHost.Workers.Events;
using ActorHost.Workers.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The actor around one <see cref="RequestWorker"/> instance (one incarnation). It takes requests one at a
/// time: while a handler runs, the mailbox is suspended (async receive), so the worker's fields need no locks.
/// The props factory builds a new actor — and through DI a new worker — for every incarnation, each from a service
/// scope of its own that is disposed with the incarnation.
/// An <see cref="AsyncUntypedActor"/> rather than a ReceiveActor: an idle entity holds no handler table.
/// </summary>
internal sealed class WorkerActor : AsyncUntypedActor
{
    private readonly RouteHost _route;
    private readonly WorkerSlot _slot;
    private readonly RequestWorker _worker;
    private readonly IServiceScope? _scope;
    private readonly string _path;
    private readonly int _incarnation;
    private readonly WorkerContext _context;
    private readonly ActorSystem _system;
    private bool _started;
    private bool _released;
    private bool _restarting;
    private RequestEnvelope? _failedRequest;
    // A pool worker's identity, made on its first request and kept: it serves request after request. An entity makes
    // one per request instead, so that an idle entity does not hold it.
    private HandlerIdentity? _identity;

    public WorkerActor(RouteHost route, WorkerSlot slot)
    {
        _route = route;
        _slot = slot;
        _path = Self.Path.ToString();
        int incarnation = slot.BaseIncarnation + Context.Incarnation;
        _incarnation = incarnation;
        _system = Context.System;

        // The incarnation's end is read through the context's handle (a flag), not its cancellation token:
        // the token costs a CancellationTokenSource per idle entity, and only an injected hang needs one.
        var context = new WorkerContext(Context.Bind(slot), route.Name, _path, incarnation, route.Services.ShutdownToken);
        _context = context;

        // Counted even if construction fails: the next instance is a new incarnation either way.
        slot.Incarnation = incarnation;

        // A scope per incarnation: what the worker resolves (scoped services, transient disposables) belongs to
        // this incarnation and is released with it, not kept by the root container until the process exits.
        // Not for a worker that takes only singletons (the samples): it would release nothing, and an idle entity
        // must stay small (100,000 of them: bench/memory).
        _scope = route.Registration.NeedsScope ? route.Services.Services.CreateScope() : null;
        try
        {
            FaultInjector faults = route.Services.Faults;
            if (faults.HasRules)
            {
                // Matched against the entity key as the client sent it, not the encoded child name ("a b", not "a%20b").
                faults.OnConstructor(route.Name, _path, slot.EntityKey ?? slot.Name);
            }

            _worker = route.Registration.Create(_scope?.ServiceProvider ?? route.Services.Services, context);
        }
        catch (Exception e)
        {
            // The kernel wraps this in ActorInitializationException; remember whose it was for the decision.
            route.Services.RecordFailure(e, new FailureOrigin(route.Name, _path, incarnation, route, slot));

            // The kernel drops an instance whose constructor threw without PostStop: what the scope built so far
            // (the dependencies of a constructor that then threw) is released here.
            if (_scope is { } scope)
            {
                RunStopHook(() => WorkerDisposal.Dispose(new AsyncServiceScope(scope)));
            }

            throw;
        }
    }

    protected override void PreStart()
    {
        StartInstance();
        Publish(new WorkerStarted(_route.Name, _path, _incarnation));
    }

    protected override void PostRestart(Exception reason)
    {
        StartInstance();
        Publish(new WorkerRestarted(_route.Name, _path, _incarnation, reason.GetType().FullName ?? reason.GetType().Name));
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        _restarting = true;
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        // A request still marked as running here was abandoned (stuck) or cut off by a stop.
        _slot.Release();
        if (!_restarting)
        {
            // Stopping for good: new requests must not be routed here any more.
            _slot.Stopping = true;
            _route.Withdraw(_slot);
        }

        // The decision about the failure that ends this incarnation has been applied: release its result.
        if (_failedRequest is { } failed)
        {
            _failedRequest = null;
            _route.Services.ReleaseFailure(failed);
        }

        if (!_started)
        {
            ReleaseInstance();
            return;
        }

        _route.WorkerEnded();
        RunStopHook(_worker.InvokeStopped);
        ReleaseInstance();
        if (!_restarting)
        {
            WorkerStopReason reason = _slot.Passivating ? WorkerStopReason.Passivated
                : _system.IsTerminating ? WorkerStopReason.Shutdown
                : WorkerStopReason.Stopped;
            Publish(new WorkerStopped(_route.Name, _path, _incarnation, reason));
        }
    }

    protected override Task OnReceiveAsync(object message)
    {
        if (message is RequestEnvelope envelope)
        {
            // A failure reaches the kernel as a faulted task made from the exception, not by rethrowing it:
            // supervision needs the exception, not another dispatch of it.
            Task<Exception?> handled = HandleAsync(envelope);
            return handled.IsCompletedSuccessfully
                ? handled.Result is { } failure ? Task.FromException(failure) : Task.CompletedTask
                : FailWhenDoneAsync(handled);
        }

        Unhandled(message);
        return Task.CompletedTask;
    }

    private static async Task FailWhenDoneAsync(Task<Exception?> handled)
    {
        if (await handled is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Serves one request; returns the handler's failure (already recorded), or null.</summary>
    private async Task<Exception?> HandleAsync(RequestEnvelope envelope)
    {
        RuntimeServices services = _route.Services;
        if (envelope.IsCompleted || envelope.HandlerToken.IsCancellationRequested)
        {
            // Timed out, aborted or cancelled while it waited in the mailbox: no handler runs for it.
            _slot.Dropped();
            services.Untrack(envelope);
            envelope.TryComplete(new RequestResult(envelope.CancellationCause ?? RequestOutcome.ClientAborted));
            envelope.MarkHandlerExited();
            return null;
        }

        envelope.Handler = _identity ?? Identity();
        _slot.Begin(envelope);
        Exception? failed = null;
        try
        {
            FaultInjector faults = services.Faults;
            InjectedFault? fault = faults.HasRules ? faults.OnHandle(envelope, _route.Name, _path, _slot.EntityKey ?? _slot.Name) : null;
            CancellationToken incarnationEnded = fault?.Rule.Point == FaultPoint.Hang ? Context.IncarnationToken : CancellationToken.None;
            failed = await HandlerRun.RunAsync(_worker, envelope, fault, services, incarnationEnded);
            if (failed is not null)
            {
                RecordFailure(failed, envelope);
            }

            return failed;
        }
        catch (Exception unexpected) when (failed is null)
        {
            // Not the handler's own failure (those are returned) but one around it, e.g. a fault rule that
            // cannot run: supervised all the same.
            failed = unexpected;
            RecordFailure(unexpected, envelope);
            throw;
        }
        finally
        {
            _slot.End(envelope, services.Time.GetTimestamp());
            if (_context.IsStale)
            {
                // This turn outlived its incarnation (abandoned as stuck, or cut off by a stop): no decision will
                // come for what it did, so its result is released now; and say how it ended.
                services.ReleaseFailure(envelope);
                Publish(new AbandonedHandlerEnded(_route.Name, _path, _incarnation, failed?.GetType().FullName));
            }
            else if (failed is null)
            {
                services.Untrack(envelope);
            }

            envelope.MarkHandlerExited();
        }
    }

    private HandlerIdentity Identity()
    {
        var identity = new HandlerIdentity(_path, _incarnation);
        if (_slot.EntityKey is null)
        {
            _identity = identity;
        }

        return identity;
    }

    /// <summary>Remembers the request whose failure ends this incarnation and hands the failure to the runtime for the decision.</summary>
    private void RecordFailure(Exception failure, RequestEnvelope envelope)
    {
        _failedRequest = envelope;
        _route.Services.RecordFailure(failure, new FailureOrigin(_route.Name, _path, _incarnation, _route, _slot, envelope));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A stop hook's failure is reported, never supervised, and the stop goes on.")]
    private void RunStopHook(Action hook)
    {
        try
        {
            hook();
        }
        catch (Exception e)
        {
            Publish(new WorkerHookFailed(_route.Name, _path, _incarnation, e));
        }
    }

    private void StartInstance()
    {
        try
        {
            _worker.InvokeStarted();
        }
        catch
        {
            // The kernel drops an instance whose start threw without PostStop (there is nothing to stop): its
            // disposal would never run, so it runs here, before the failure is supervised.
            ReleaseInstance();
            throw;
        }

        _started = true;
        _slot.Touch(_route.Services.Time.GetTimestamp());
        _route.WorkerStarted();
    }

    /// <summary>Disposes the worker, then the scope it was built from (its dependencies after it); only once.</summary>
    private void ReleaseInstance()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        RunStopHook(() => WorkerDisposal.Dispose(_worker));
        if (_scope is { } scope)
        {
            RunStopHook(() => WorkerDisposal.Dispose(new AsyncServiceScope(scope)));
        }
    }

    private void Publish(WorkerEvent workerEvent) =>
        _route.Services.Events.Publish(new PendingWorkerEvent(workerEvent with { Timestamp = _route.Services.Time.GetUtcNow() }));
}
