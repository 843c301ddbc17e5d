using System.Reflection;
using System.Runtime.ExceptionServices;

namespace ActorHost.Actors;

/// <summary>
/// Creation, restart and termination, in Akka's order:
/// create: constructor → PreStart;
/// restart: old PreRestart(reason, failed message) (default: stop children, PostStop) → wait for the stopped
/// children → new constructor → PostRestart(reason) (default: PreStart) → surviving children are restarted;
/// after a failed construction (no instance to restart): stop every child → wait → construct again;
/// stop: stop children → wait → PostStop → mailbox drained to dead letters → parent and watchers notified.
/// </summary>
internal sealed partial class ActorCell
{
    private Lifecycle _lifecycle;
    private bool _startedOnce;

    internal enum Lifecycle
    {
        Starting,
        Running,
        Restarting,
        Terminating,
        Terminated,
    }

    private void ProcessSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case ContinuationMessage continuation:
                RunContinuation(continuation);
                break;
            case AsyncTurn turn:
                OnTurnCompleted(turn);
                break;
            case FailedMessage failed:
                HandleChildFailure(failed);
                break;
            case ChildTerminatedMessage childTerminated:
                OnChildTerminated(childTerminated.Child);
                break;
            case DeathWatchNotification notification:
                OnWatchedTerminated(notification.Actor);
                break;
            case WatchMessage watch:
                OnWatchMessage(watch);
                break;
            case CreateMessage:
                Create();
                break;
            case RecreateMessage recreate:
                _restartOrdersSeen++;
                FaultRecreate(recreate.Cause);
                break;
            case SuspendMessage:
                FaultSuspend();
                break;
            case ResumeMessage resume:
                FaultResume(resume.CausedByFailure);
                break;
            case TerminateMessage:
                Terminate();
                break;
            case FailRequestMessage fail:
                OnFailRequest(fail.Exception);
                break;
            default:
                throw new InvalidOperationException($"Unknown system message {message.GetType().Name}.");
        }
    }

    private void Create()
    {
        if (_lifecycle != Lifecycle.Starting)
        {
            return;
        }

        _lifecycle = Lifecycle.Running;
        try
        {
            NewInstance();
            _actor!.InvokePreStart();
            _startedOnce = true;
        }
#pragma warning disable CA1031 // Initialization failures are supervised.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // The half-built instance is dropped: it gets no messages (even if the supervisor resumes, which builds
            // a new one, as Akka's faultCreate does), no PreRestart and no PostStop, since it never started.
            RememberSupervisorStrategy();
            RetireIncarnation();
            _currentMessage = null;
            _currentSender = null;
            HandleInvokeFailure(new ActorInitializationException(_path, "exception during creation", e));
            return;
        }

        UpdateUserBlocked();
        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new ActorStarted(_path, _incarnation) { Timestamp = _system.Now });
        }
    }

    /// <summary>Builds a fresh instance through the Props factory as a new incarnation.</summary>
    private void NewInstance()
    {
        var context = new IncarnationContext(this, Volatile.Read(ref _incarnation) + 1);
        Volatile.Write(ref _incarnation, context.Incarnation);
        _context = context;
        ActorBase instance;
        IncarnationContext.SetConstructing(context);
        try
        {
            instance = _props.Produce();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // new T() goes through Activator: report the constructor's own exception.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        finally
        {
            IncarnationContext.ClearConstructing();
        }

        if (instance is null || !ReferenceEquals(instance.IncarnationContext, context))
        {
            throw new ActorInitializationException(
                _path,
                $"the Props factory for {_props.ActorType.Name} must return a new instance on every call (it returned {(instance is null ? "null" : "an instance built earlier")}).",
                null);
        }

        _actor = instance;
    }

    /// <summary>Restart (Recreate from the supervisor).</summary>
    private void FaultRecreate(Exception cause)
    {
        if (_lifecycle >= Lifecycle.Terminating)
        {
            return;
        }

        if (_lifecycle == Lifecycle.Restarting)
        {
            // Already between instances (waiting for stopped children): the pending restart builds the new instance
            // after this order anyway, so it joins that one, as in Akka. Only the suspension that came with the order
            // is undone; restarting from here would treat it as a failed construction and never balance it.
            FaultResume(causedByFailure: null);
            return;
        }

        if (_actor is null)
        {
            // The previous attempt to build an instance failed: there is no instance to restart, build one.
            FaultCreate(cause);
            return;
        }

        if (AbandonTurn())
        {
            // Restarted with a turn in flight: by an all-for-one sibling's failure, or by its parent's restart.
            FailAbandonedAsk(new AskFailedException(
                $"{_path} was restarted while handling the asked message, because of another actor's failure ({cause.GetType().Name}: {cause.Message}); no reply will come.",
                _path,
                cause,
                Directive.Restart));
        }

        CancelReceiveTimeout();
        var failedActor = _actor;
        var failedMessage = _failed ? _extras?.FailedMessage : null;
        RememberSupervisorStrategy();
        _lifecycle = Lifecycle.Restarting;
        UpdateUserBlocked();
        try
        {
            failedActor.InvokePreRestart(cause, failedMessage);
        }
#pragma warning disable CA1031 // Best effort, as in Akka: reported, the restart proceeds.
        catch (Exception e)
#pragma warning restore CA1031
        {
            PublishHookFailure("PreRestart", e);
        }
        finally
        {
            RetireIncarnation();
        }

        if (_children is { DyingCount: > 0 })
        {
            Extras.RecreateCause = cause;
            return; // FinishRecreate once the stopped children have terminated (OnChildTerminated).
        }

        FinishRecreate(cause);
    }

    /// <summary>
    /// Builds the new instance once the children that had to stop have terminated. An actor that never started
    /// (its first constructor or PreStart threw) is created (PreStart, <see cref="ActorStarted"/>); otherwise it is
    /// restarted (PostRestart, <see cref="ActorRestarted"/>) and the surviving children are restarted too.
    /// </summary>
    private void FinishRecreate(Exception cause)
    {
        if (!_startedOnce)
        {
            if (_suspendCount > 0)
            {
                _suspendCount--;
            }

            ClearFailed();
            _lifecycle = Lifecycle.Starting;
            Create();
            return;
        }

        var survivors = _children?.Snapshot();
        if (_suspendCount > 0)
        {
            _suspendCount--;
        }

        ClearFailed();
        _lifecycle = Lifecycle.Running;
        try
        {
            NewInstance();
            _actor!.InvokePostRestart(cause);
        }
#pragma warning disable CA1031 // A failing restart is a failure (PostRestartException, stop by default).
        catch (Exception e)
#pragma warning restore CA1031
        {
            RememberSupervisorStrategy();
            RetireIncarnation();
            _currentMessage = null;
            _currentSender = null;
            HandleInvokeFailure(new PostRestartException(_path, e, cause));
            return;
        }

        Extras.RestartCount++;
        UpdateUserBlocked();
        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new ActorRestarted(_path, _incarnation, cause) { Timestamp = _system.Now });
        }

        if (survivors is not null)
        {
            foreach (var child in survivors)
            {
                if (!child._dyingMarkedByParent)
                {
                    OrderRestart(child, cause);
                }
            }
        }
    }

    /// <summary>
    /// Building an instance failed earlier (its constructor, <c>PreStart</c> or <c>PostRestart</c> threw) and the
    /// supervisor asked for a restart (or resume): as Akka's faultCreate, every child is stopped first — the failed
    /// constructor may have created them, and the next one would create them again under the same names — and the
    /// new instance is built once they have all terminated (at once when there are none).
    /// </summary>
    private void FaultCreate(Exception cause)
    {
        _lifecycle = Lifecycle.Restarting;
        UpdateUserBlocked();
        if (StopAllChildren())
        {
            Extras.RecreateCause = cause;
            return; // FinishRecreate once they have terminated (OnChildTerminated).
        }

        FinishRecreate(cause);
    }

    private void Terminate()
    {
        if (_lifecycle >= Lifecycle.Terminating)
        {
            return;
        }

        if (AbandonTurn())
        {
            FailAbandonedAsk(new ActorStoppedException(
                $"{_path} was stopped while handling the asked message of type {_currentMessage?.GetType().Name}; no reply will come."));
        }

        CancelReceiveTimeout();
        _lifecycle = Lifecycle.Terminating;
        UpdateUserBlocked();
        UnwatchAll();
        if (StopChildrenForTermination())
        {
            return; // FinishTerminate once they have terminated (OnChildTerminated).
        }

        FinishTerminate();
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        if (actor is not null)
        {
            try
            {
                actor.InvokePostStop();
            }
#pragma warning disable CA1031 // Best effort, as in Akka: reported.
            catch (Exception e)
#pragma warning restore CA1031
            {
                PublishHookFailure("PostStop", e);
            }
        }

        RetireIncarnation();
        _lifecycle = Lifecycle.Terminated;
        _failed = false;
        Interlocked.Or(ref _status, ClosedBit);
        _bounded?.ReleaseAllWaiters();

        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new ActorStopped(_path, _incarnation) { Timestamp = _system.Now });
        }

        // Messages still queued become dead letters (each published, every Ask among them failed) ...
        DrainUserToDeadLetters();

        // ... then the parent (frees the name) and the watchers hear about it, in that order.
        if (_parent is not null)
        {
            _parent.SendSystem(new ChildTerminatedMessage(this));
        }
        else
        {
            _system.OnRootTerminated();
        }

        NotifyWatchers();
    }

    private void RetireIncarnation()
    {
        _context?.Retire();
        _actor = null;
    }

    private void PublishHookFailure(string hook, Exception e)
    {
        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new LifecycleHookFailed(_path, _incarnation, hook, e) { Timestamp = _system.Now });
        }
    }

    /// <summary>Sets (or clears with <see langword="null"/>) the receive timeout; restarts its timer.</summary>
    internal void SetReceiveTimeout(TimeSpan? timeout)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A receive timeout must be positive (null switches it off).");
        }

        if (timeout is null)
        {
            CancelReceiveTimeout();
            return;
        }

        Extras.ReceiveTimeout = timeout;
        RestartReceiveTimeout();
    }

    private void RestartReceiveTimeout()
    {
        var extras = Extras;
        if (extras.ReceiveTimeout is not { } timeout)
        {
            return;
        }

        if (extras.ReceiveTimeoutTimer is null)
        {
            // The timer lives as long as the actor and is re-armed after every message: it must not keep the execution
            // context (and so the async-local values) of whichever turn happened to create it.
            extras.ReceiveTimeoutTimer = DetachedTimer.Create(
                _system.TimeProvider,
                static s =>
                {
                    var cell = (ActorCell)s!;
                    if (!cell.IsClosed)
                    {
                        cell.EnqueueInternal(ReceiveTimeout.Instance, null);
                    }
                },
                this,
                timeout,
                Timeout.InfiniteTimeSpan);
            return;
        }

        extras.ReceiveTimeoutTimer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    private void CancelReceiveTimeout()
    {
        if (_extras is { } extras)
        {
            extras.ReceiveTimeout = null;
            extras.ReceiveTimeoutTimer?.Dispose();
            extras.ReceiveTimeoutTimer = null;
        }
    }
}
