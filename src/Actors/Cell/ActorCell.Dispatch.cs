namespace ActorHost.Actors;

/// <summary>
/// Handing user messages to the actor: auto-received messages (PoisonPill, Kill, Terminated), synchronous and
/// async receives. An async receive whose task is not complete becomes a turn: user messages wait, its
/// continuations come back as system messages (so they never run concurrently with the actor), and its
/// completion is a system message too.
/// </summary>
internal sealed partial class ActorCell
{
    // The async receive in flight, if any.
    private AsyncTurn? _turn;

    private void InvokeUser(object message, IActorRef? sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        Volatile.Write(ref _processed, _processed + 1);
        try
        {
            Task task;
            if (message is PoisonPill)
            {
                SendSystem(new TerminateMessage());
                task = Task.CompletedTask;
            }
            else if (message is Kill)
            {
                throw new ActorKilledException($"{_path} received Kill.");
            }
            else if (message is Terminated terminated && !TakeQueuedTerminated(terminated))
            {
                // Unwatched after the notification was queued: Akka drops it.
                task = Task.CompletedTask;
            }
            else
            {
                task = _actor!.Dispatch(message);
            }

            if (!task.IsCompletedSuccessfully)
            {
                if (task.IsCompleted)
                {
                    HandleInvokeFailure(ExceptionOf(task));
                    return;
                }

                BeginTurn(task);
                return;
            }
        }
#pragma warning disable CA1031 // Any exception from user code is a failure for the supervisor to decide.
        catch (Exception e)
#pragma warning restore CA1031
        {
            HandleInvokeFailure(e);
            return;
        }

        _currentMessage = null;
        _currentSender = null;

        // Re-armed after every message, a ReceiveTimeout included: an actor that stays idle hears it again after
        // each further idle period (as in Akka), until it switches the timeout off.
        if (_extras?.ReceiveTimeout is not null)
        {
            RestartReceiveTimeout();
        }
    }

    private void BeginTurn(Task task)
    {
        _turn = new AsyncTurn(this, _context!, task, _currentMessage, _currentSender);
        UpdateUserBlocked();
        _turn.Start();
    }

    /// <summary>The task of an async receive completed (the turn is a system message).</summary>
    private void OnTurnCompleted(AsyncTurn turn)
    {
        if (!ReferenceEquals(turn, _turn))
        {
            // Abandoned (Fail, restart, stop): its outcome belongs to nobody any more; report it.
            if (_system.EventStream.HasSubscribers)
            {
                var exception = turn.Task.IsCompletedSuccessfully ? null : ExceptionOf(turn.Task);
                _system.EventStream.Publish(new AbandonedTurnCompleted(_path, turn.Context.Incarnation, exception) { Timestamp = _system.Now });
            }

            return;
        }

        _turn = null;
        UpdateUserBlocked();
        if (!turn.Task.IsCompletedSuccessfully)
        {
            _currentMessage = turn.Message;
            _currentSender = turn.Sender;
            HandleInvokeFailure(ExceptionOf(turn.Task));
            return;
        }

        _currentMessage = null;
        _currentSender = null;
        if (_extras?.ReceiveTimeout is not null)
        {
            RestartReceiveTimeout();
        }
    }

    /// <summary>Runs a continuation of the current turn on the actor, with its sender restored.</summary>
    private void RunContinuation(ContinuationMessage continuation)
    {
        var context = continuation.Context;
        if (!ReferenceEquals(context, _context) || context.IsStale)
        {
            // Belongs to an ended incarnation or an abandoned turn: let it run detached, off the actor.
            IncarnationContext.RunDetached(continuation.Callback, continuation.State, context);
            return;
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        if (_turn is { } turn)
        {
            _currentMessage = turn.Message;
            _currentSender = turn.Sender;
        }

        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>
    /// Detaches the turn in flight: its continuations now run off the actor and its context/handles are stale
    /// for them (the incarnation cannot be resumed).
    /// </summary>
    private bool AbandonTurn()
    {
        var turn = _turn;
        if (turn is null)
        {
            return false;
        }

        _turn = null;
        _currentMessage = turn.Message;
        _currentSender = turn.Sender;
        turn.Context.Detach();
        UpdateUserBlocked();
        return true;
    }

    /// <summary>
    /// A turn abandoned because the actor is stopped or restarted from outside (not because of its own failure, whose
    /// Ask the supervisor fails): its handler can never reply, so an Ask waiting for it hears why now, not at its timeout.
    /// </summary>
    private void FailAbandonedAsk(Exception reason)
    {
        if (_currentSender is IAskPromise promise)
        {
            promise.TryFail(reason);
        }
    }

    private static Exception ExceptionOf(Task task)
    {
        if (task.IsCanceled)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e)
            {
                return e;
            }

            return new TaskCanceledException(task);
        }

        var aggregate = task.Exception!;
        return aggregate.InnerExceptions.Count == 1 ? aggregate.InnerExceptions[0] : aggregate;
    }
}
