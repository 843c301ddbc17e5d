namespace ActorHost.Actors;

/// <summary>
/// Failures, Akka's way: a failing actor suspends itself (and its children) and reports <see cref="FailedMessage"/>
/// to its parent; the parent's strategy decides (Resume / Restart within the retry budget / Stop / Escalate);
/// the parent also fails the Ask of the failing message, so askers hear the outcome at once.
/// </summary>
internal sealed partial class ActorCell
{
    private int _suspendCount;
    private bool _failed;

    // Set by the parent (on its own turn) when it asked this child to stop.
    private bool _dyingMarkedByParent;

    // Restart orders (RecreateMessage) processed, on the own turn; compared with the parent's count in FailedMessage.
    private int _restartOrdersSeen;

    /// <summary>This actor failed with <paramref name="cause"/> while processing the current message (if any).</summary>
    private void HandleInvokeFailure(Exception cause, ActorPath? origin = null, ActorCell? perpetrator = null, bool instanceAbandoned = false)
    {
        if (_failed || _lifecycle >= Lifecycle.Terminating)
        {
            // Already waiting for a directive, or stopping: Akka does not propagate these. An Ask for the
            // message must still hear something.
            if (_currentSender is IAskPromise promise && perpetrator is null)
            {
                promise.TryFail(new AskFailedException(_path, cause, Directive.Stop));
            }

            _currentMessage = null;
            _currentSender = null;
            return;
        }

        _failed = true;
        _suspendCount++;
        UpdateUserBlocked();
        var message = _currentMessage;
        var sender = _currentSender;
        _currentMessage = null;
        _currentSender = null;
        Extras.FailedMessage = message;
        Extras.Perpetrator = perpetrator;
        SuspendChildren(except: perpetrator);

        if (_parent is null)
        {
            // The root has nobody to ask: the system terminates, escalated.
            if (sender is IAskPromise rootPromise)
            {
                rootPromise.TryFail(new AskFailedException(_path, cause, Directive.Escalate));
            }

            _system.OnRootFailure(cause, origin ?? _path);
            return;
        }

        _parent.SendSystem(new FailedMessage(this, cause, _incarnation, _restartOrdersSeen, message, sender, origin ?? _path, instanceAbandoned || (_context?.IsStale ?? false)));
    }

    /// <summary>Supervisor side: decide about a child's failure.</summary>
    private void HandleChildFailure(FailedMessage failed)
    {
        var child = failed.Child;
        if (_lifecycle >= Lifecycle.Terminating || !IsLiveChild(child) || child._dyingMarkedByParent)
        {
            // We are stopping, or the child is already being stopped: it will be stopped anyway.
            (failed.Sender as IAskPromise)?.TryFail(new AskFailedException(child.Path, failed.Cause, Directive.Stop));
            return;
        }

        if (failed.RestartOrdersSeen < child.Extras.RestartOrders)
        {
            OnSupersededFailure(child, failed);
            return;
        }

        var strategy = GetSupervisorStrategy();
        Directive directive;
        try
        {
            directive = strategy.Decider.Decide(failed.Cause);
        }
#pragma warning disable CA1031 // A throwing decider escalates the original failure.
        catch (Exception)
#pragma warning restore CA1031
        {
            directive = Directive.Escalate;
        }

        if (directive == Directive.Resume && failed.InstanceAbandoned)
        {
            directive = Directive.Restart; // an abandoned instance cannot be trusted with more messages
        }

        var exhausted = false;
        if (directive == Directive.Restart)
        {
            var now = _system.TimeProvider.GetTimestamp();
            var allowed = strategy.AppliesToAllChildren
                ? (_children?.Snapshot() ?? []).All(c => c.RequestRestartPermission(strategy, now))
                : child.RequestRestartPermission(strategy, now);
            if (!allowed)
            {
                exhausted = true;
                directive = Directive.Stop;
            }
        }

        var childExtras = child.Extras;
        childExtras.FailureCount++;
        childExtras.LastFailure = new FailureSnapshot(failed.Cause.GetType().FullName ?? failed.Cause.GetType().Name, failed.Cause.Message, _system.Now, directive);
        if (_system.EventStream.HasSubscribers)
        {
            var now = _system.Now;
            _system.EventStream.Publish(new ActorFailed(child.Path, failed.Incarnation, failed.Cause, directive, failed.Message?.GetType()) { Timestamp = now });
            if (exhausted)
            {
                _system.EventStream.Publish(new RetriesExhausted(child.Path, failed.Incarnation, failed.Cause, strategy.MaxNrOfRetries, strategy.WithinTimeRange) { Timestamp = now });
            }
        }

        (failed.Sender as IAskPromise)?.TryFail(new AskFailedException(child.Path, failed.Cause, directive));

        switch (directive)
        {
            case Directive.Resume:
                child.SendSystem(new ResumeMessage(failed.Cause));
                break;
            case Directive.Restart:
                if (strategy.AppliesToAllChildren)
                {
                    foreach (var sibling in _children!.Snapshot())
                    {
                        if (!ReferenceEquals(sibling, child))
                        {
                            sibling.SendSystem(new SuspendMessage());
                            OrderRestart(sibling, failed.Cause);
                        }
                    }
                }

                OrderRestart(child, failed.Cause);
                break;
            case Directive.Stop:
                if (strategy.AppliesToAllChildren)
                {
                    foreach (var sibling in _children!.Snapshot())
                    {
                        StopChild(sibling);
                    }
                }
                else
                {
                    StopChild(child);
                }

                break;
            default:
                if (_system.EventStream.HasSubscribers)
                {
                    _system.EventStream.Publish(new ActorEscalated(_path, child.Path, failed.Cause) { Timestamp = _system.Now });
                }

                // Fail ourselves with the very same exception object (its stack trace is untouched).
                _currentMessage = null;
                _currentSender = null;
                HandleInvokeFailure(failed.Cause, failed.Origin, perpetrator: child);
                break;
        }
    }

    /// <summary>Owner only: tells a child to restart, counting the order (see <see cref="OnSupersededFailure"/>).</summary>
    private static void OrderRestart(ActorCell child, Exception cause)
    {
        child.Extras.RestartOrders++;
        child.SendSystem(new RecreateMessage(cause));
    }

    /// <summary>
    /// A child failed before it processed a restart we had already ordered (an all-for-one sibling failing at about
    /// the same time, or a child we restart because we were restarted): its failure belongs to the instance that
    /// restart replaces, so it takes no decision of its own — no second restart of anyone, no charge to the retry
    /// budget (Akka: one decision per failure of the current incarnation). It is still reported (the directive
    /// applied to it is that restart), its Ask fails, and the suspension its failure added is undone.
    /// </summary>
    private void OnSupersededFailure(ActorCell child, FailedMessage failed)
    {
        var childExtras = child.Extras;
        childExtras.FailureCount++;
        childExtras.LastFailure = new FailureSnapshot(failed.Cause.GetType().FullName ?? failed.Cause.GetType().Name, failed.Cause.Message, _system.Now, Directive.Restart);
        if (_system.EventStream.HasSubscribers)
        {
            _system.EventStream.Publish(new ActorFailed(child.Path, failed.Incarnation, failed.Cause, Directive.Restart, failed.Message?.GetType()) { Timestamp = _system.Now });
        }

        (failed.Sender as IAskPromise)?.TryFail(new AskFailedException(child.Path, failed.Cause, Directive.Restart));

        // The restart already on its way balances the suspension that came with its order; this failure suspended the
        // child (and its children) once more.
        child.SendSystem(new ResumeMessage(null));
    }

    /// <summary>The parent declared this actor failed (<see cref="IActorContext.Fail"/>).</summary>
    private void OnFailRequest(Exception exception)
    {
        if (_failed || _lifecycle != Lifecycle.Running)
        {
            // Already failed, being restarted or stopped: the instance is going away anyway.
            return;
        }

        var abandoned = AbandonTurn();
        if (!abandoned)
        {
            _currentMessage = null;
            _currentSender = null;
        }

        HandleInvokeFailure(exception, instanceAbandoned: abandoned);
    }

    private void FaultSuspend()
    {
        _suspendCount++;
        UpdateUserBlocked();
        SuspendChildren(except: null);
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (_lifecycle >= Lifecycle.Terminating)
        {
            return;
        }

        if (causedByFailure is not null && _failed)
        {
            if (_actor is null)
            {
                // Creation failed and the supervisor resumed: build the instance again (Akka's faultCreate).
                FaultCreate(causedByFailure);
                return;
            }

            if (_context?.IsStale == true)
            {
                // The instance was abandoned (Fail during an async turn): it cannot resume, restart it.
                FaultRecreate(causedByFailure);
                return;
            }
        }

        var perpetrator = _extras?.Perpetrator;
        if (causedByFailure is not null)
        {
            ClearFailed();
        }

        if (_suspendCount > 0)
        {
            _suspendCount--;
        }

        UpdateUserBlocked();
        ResumeChildren(causedByFailure, perpetrator);
    }

    private void ClearFailed()
    {
        _failed = false;
        if (_extras is { } extras)
        {
            extras.FailedMessage = null;
            extras.Perpetrator = null;
        }
    }

    private void SuspendChildren(ActorCell? except)
    {
        if (_children is null)
        {
            return;
        }

        foreach (var child in _children.Snapshot())
        {
            if (!ReferenceEquals(child, except))
            {
                child.SendSystem(new SuspendMessage());
            }
        }
    }

    private void ResumeChildren(Exception? causedByFailure, ActorCell? perpetrator)
    {
        if (_children is null)
        {
            return;
        }

        foreach (var child in _children.Snapshot())
        {
            // Only the child whose failure we escalated gets the cause (which clears its failure); the others
            // were suspended by us and just resume.
            child.SendSystem(new ResumeMessage(ReferenceEquals(child, perpetrator) ? causedByFailure : null));
        }
    }

    private SupervisorStrategy GetSupervisorStrategy()
    {
        if (_props.SupervisorStrategy is { } fromProps)
        {
            return fromProps;
        }

        var extras = Extras;
        if (_actor is null)
        {
            // Between a failed instance and the next one (waiting for the children its PreRestart stopped, or after a
            // failed construction) the last instance's strategy stays in force, as in Akka.
            return extras.Strategy ?? SupervisorStrategy.DefaultStrategy;
        }

        if (extras.Strategy is null || extras.StrategyIncarnation != _incarnation)
        {
            extras.Strategy = _actor.InvokeSupervisorStrategy();
            extras.StrategyIncarnation = _incarnation;
        }

        return extras.Strategy;
    }

    /// <summary>
    /// Before an instance is retired for a restart: caches its strategy, which decides about the children's failures
    /// until the new instance exists. Only a parent needs it (a child created later belongs to the new instance).
    /// </summary>
    private void RememberSupervisorStrategy()
    {
        if (_props.SupervisorStrategy is not null || _children is null)
        {
            return;
        }

        try
        {
            GetSupervisorStrategy();
        }
#pragma warning disable CA1031 // A throwing SupervisorStrategy() must not break the restart; it surfaces when a child fails.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Akka's ChildRestartStats.requestRestartPermission, exactly: run by the parent on the child's stats.
    /// -1 retries with an infinite window = always; 0 = never; n with an infinite window = n in total;
    /// a finite window with -1 retries = 1 per window.
    /// </summary>
    private bool RequestRestartPermission(SupervisorStrategy strategy, long now)
    {
        var max = strategy.MaxNrOfRetries;
        var window = strategy.WithinTimeRange;
        if (max == 0)
        {
            return false;
        }

        var extras = Extras;
        if (window is null)
        {
            if (max < 0)
            {
                return true;
            }

            extras.RetryCount++;
            return extras.RetryCount <= max;
        }

        var retries = max < 0 ? 1 : max;
        var retriesDone = extras.RetryCount + 1;
        if (!extras.RetryWindowStarted)
        {
            extras.RetryWindowStarted = true;
            extras.RetryWindowStart = now;
        }

        var insideWindow = _system.TimeProvider.GetElapsedTime(extras.RetryWindowStart, now) <= window.Value;
        if (insideWindow)
        {
            extras.RetryCount = retriesDone;
            return retriesDone <= retries;
        }

        extras.RetryCount = 1;
        extras.RetryWindowStart = now;
        return true;
    }
}
