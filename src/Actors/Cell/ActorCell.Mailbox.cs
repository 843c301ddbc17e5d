namespace ActorHost.Actors;

/// <summary>
/// The mailbox: a lock-free multi-producer/single-consumer queue of user messages (a linked list of
/// <see cref="Envelope"/>s, Vyukov style: an idle mailbox holds one node), a lock-free stack of system messages,
/// and a status word that makes sure the cell is scheduled on the thread pool at most once at a time.
/// </summary>
/// <remarks>
/// When the consumer takes the last message, the queue goes back to its previous stub instead of keeping the node
/// it just emptied: an idle mailbox then holds the same long-lived node as before the message. Otherwise a busy
/// actor would keep one fresh node, a young object referenced from an old cell, which every young collection copies
/// out: with 1,000 busy entities, 1,000 nodes per collection, and the collection takes about 60% longer.
/// </remarks>
internal sealed partial class ActorCell
{
    // Status bits. Scheduled: queued on or running on the thread pool. UserBlocked: user messages cannot be
    // processed now (not started, failed, suspended, awaiting an async turn, restarting, stopping) so producers
    // of user messages need not schedule. Closed: terminated; whatever arrives is drained to dead letters.
    private const int ScheduledBit = 1;
    private const int UserBlockedBit = 2;
    private const int ClosedBit = 4;

    private readonly int _throughput;
    private readonly BoundedMailbox? _bounded;

    private int _status;
    private Envelope _userHead; // consumer side; its Message is always empty (the "stub")
    private Envelope _userTail; // producer side
    private SystemMessage? _systemStack; // latest first
    private long _enqueued;
    private long _dequeued;
    private long _processed;
    private int _executingThreadId;

    // Hops run inline on one pool thread before handing the next cell back to the pool.
    private const int MaxInlineHops = 64;

    // Owner-thread mirror of the UserBlocked bit.
    private bool _userBlocked;

    private bool IsClosed => (Volatile.Read(ref _status) & ClosedBit) != 0;

    /// <summary>Queued on or running on a thread (tests wait for an actor to be idle with it).</summary>
    internal bool IsScheduled => (Volatile.Read(ref _status) & ScheduledBit) != 0;

    private bool HasUserMessages => Volatile.Read(ref _userHead.Next) is not null;

    /// <summary>The queue's current stub node (tests check that an idle mailbox keeps no node of a past message).</summary>
    internal object UserQueueStub => _userHead;

    public void SendSystem(SystemMessage message)
    {
        var head = Volatile.Read(ref _systemStack);
        while (true)
        {
            message.Next = head;
            var seen = Interlocked.CompareExchange(ref _systemStack, message, head);
            if (seen == head)
            {
                break;
            }

            head = seen;
        }

        var status = Volatile.Read(ref _status);
        while ((status & ScheduledBit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _status, status | ScheduledBit, status);
            if (seen == status)
            {
                Dispatch(yielding: false);
                return;
            }

            status = seen;
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (Trampoline.IsActive)
        {
            RunTurn();
            return;
        }

        // Trampoline: a cell woken by the turn that just ended runs next on this thread (see Dispatch), saving a
        // thread-pool round trip per hop of a message chain; bounded so that the pool stays fair.
        Trampoline.Enter();
        try
        {
            RunChain(this);
        }
        finally
        {
            ExitTrampoline();
        }
    }

    /// <summary>
    /// Runs <paramref name="send"/> with the calling thread acting as the dispatcher: the cell that the send wakes
    /// (if any) runs its turn here before this returns, as a cell woken by a turn does on a pool thread. See
    /// <see cref="CallingThread"/>.
    /// </summary>
    internal static void RunOnCallingThread<TState>(Action<TState> send, TState state)
    {
        if (Trampoline.IsActive)
        {
            // Already inside a turn on this thread: the send stashes its cell as any other.
            send(state);
            return;
        }

        Trampoline.Enter();
        try
        {
            send(state);
            if (Trampoline.Take() is { } woken)
            {
                // Without the caller's async locals: a turn on a pool thread has none either.
                ExecutionContext.Run(CleanContext.Value, static cell => RunChain((ActorCell)cell!), woken);
            }
        }
        finally
        {
            ExitTrampoline();
        }
    }

    private static void RunChain(ActorCell first)
    {
        var cell = first;
        for (var hops = 0; ; hops++)
        {
            cell.RunTurn();
            cell = Trampoline.Take();
            if (cell is null)
            {
                return;
            }

            if (hops == MaxInlineHops)
            {
                ThreadPool.UnsafeQueueUserWorkItem(cell, preferLocal: true);
                return;
            }
        }
    }

    private static void ExitTrampoline()
    {
        Trampoline.Exit();
        if (Trampoline.Take() is { } pending)
        {
            ThreadPool.UnsafeQueueUserWorkItem(pending, preferLocal: true);
        }
    }

    private void RunTurn()
    {
        Volatile.Write(ref _executingThreadId, Environment.CurrentManagedThreadId);
        try
        {
            if (Volatile.Read(ref _systemStack) is not null)
            {
                ProcessSystemMessages();
            }

            if (_lifecycle == Lifecycle.Terminated)
            {
                DrainUserToDeadLetters();
            }
            else
            {
                ProcessUserMessages();
            }
        }
        finally
        {
            Volatile.Write(ref _executingThreadId, 0);
        }

        var status = Interlocked.And(ref _status, ~ScheduledBit) & ~ScheduledBit;

        // Re-check after releasing: a producer that saw "scheduled" relied on us to see its message.
        if (Volatile.Read(ref _systemStack) is not null
            || (((status & UserBlockedBit) == 0 || (status & ClosedBit) != 0) && HasUserMessages))
        {
            TrySchedule(yielding: true);
        }
    }

    /// <summary>
    /// Hands the cell (already marked scheduled) to a thread. Inside a turn on a pool thread the first cell
    /// scheduled is kept to run right after that turn on the same thread (the common "tell, then finish" hop);
    /// if the current actor still has messages to process it goes to the pool instead, so that it can run in
    /// parallel (see ProcessUserMessages); if the current turn holds its thread for long, the watchdog of
    /// <see cref="Trampoline"/> releases it.
    /// </summary>
    private void Dispatch(bool yielding)
    {
        if (!yielding && Trampoline.IsActive && Trampoline.TryStash(this))
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: !yielding);
    }

    /// <summary>Appends a user message and schedules the cell if it can process it.</summary>
    private void EnqueueUser(object message, IActorRef? sender)
    {
        var envelope = new Envelope(message, sender);

        var previous = Interlocked.Exchange(ref _userTail, envelope);
        Volatile.Write(ref previous.Next, envelope);

        // A full fence between publishing the message (the link above) and reading the status below: otherwise
        // the load could pass the store and race with a consumer that releases the cell and then finds the
        // queue empty (a lost wake-up). The counter's interlocked increment is that fence.
        Interlocked.Increment(ref _enqueued);
        var status = Volatile.Read(ref _status);
        while ((status & ScheduledBit) == 0 && ((status & UserBlockedBit) == 0 || (status & ClosedBit) != 0))
        {
            var seen = Interlocked.CompareExchange(ref _status, status | ScheduledBit, status);
            if (seen == status)
            {
                Dispatch(yielding: false);
                return;
            }

            status = seen;
        }
    }

    private void TrySchedule(bool yielding)
    {
        var status = Volatile.Read(ref _status);
        while ((status & ScheduledBit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _status, status | ScheduledBit, status);
            if (seen == status)
            {
                Dispatch(yielding);
                return;
            }

            status = seen;
        }
    }

    /// <summary>Owner only. Takes the next user message.</summary>
    private bool TryDequeueUser(out object message, out IActorRef? sender)
    {
        var head = _userHead;
        var next = Volatile.Read(ref head.Next);
        if (next is null)
        {
            message = null!;
            sender = null;
            return false;
        }

        message = next.Message!;
        sender = next.Sender;
        next.Message = null;
        next.Sender = null;

        // The producer that linked `next` onto the stub is done with it. If `next` is still the last node, the queue
        // goes back to the stub: the compare-exchange fails if a producer appended after `next` in the meantime, and
        // then `next` becomes the new stub as usual (cleared above, so it keeps no message alive).
        head.Next = null;
        if (Volatile.Read(ref next.Next) is not null || Interlocked.CompareExchange(ref _userTail, head, next) != next)
        {
            _userHead = next;
        }

        Volatile.Write(ref _dequeued, _dequeued + 1);
        _bounded?.Release();
        return true;
    }

    private void ProcessSystemMessages()
    {
        while (Volatile.Read(ref _systemStack) is not null)
        {
            var stack = Interlocked.Exchange(ref _systemStack, null);

            // The stack is latest-first: reverse it to process in sending order.
            SystemMessage? ordered = null;
            while (stack is not null)
            {
                var next = stack.Next;
                stack.Next = ordered;
                ordered = stack;
                stack = next;
            }

            while (ordered is not null)
            {
                var message = ordered;
                ordered = message.Next;
                message.Next = null;
                try
                {
                    ProcessSystemMessage(message);
                }
#pragma warning disable CA1031 // A kernel failure must not crash the process: it becomes a supervised failure of this actor.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    HandleInvokeFailure(e);
                }
            }
        }
    }

    private void ProcessUserMessages()
    {
        var budget = _throughput;
        while (!_userBlocked && TryDequeueUser(out var message, out var sender))
        {
            InvokeUser(message, sender);
            if (Volatile.Read(ref _systemStack) is not null)
            {
                ProcessSystemMessages();
            }

            if (Trampoline.HasStash && HasUserMessages && Trampoline.Take() is { } next)
            {
                // We are not done: let the cell we woke up run in parallel rather than after us.
                ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: true);
            }

            if (--budget == 0)
            {
                return;
            }
        }
    }

    /// <summary>Owner only: recomputes whether user messages may be processed and publishes it to producers.</summary>
    private void UpdateUserBlocked()
    {
        var blocked = _lifecycle != Lifecycle.Running || _suspendCount > 0 || _failed || _turn is not null;
        if (blocked == _userBlocked)
        {
            return;
        }

        _userBlocked = blocked;
        if (blocked)
        {
            Interlocked.Or(ref _status, UserBlockedBit);
        }
        else
        {
            Interlocked.And(ref _status, ~UserBlockedBit);
        }
    }

    private void DrainUserToDeadLetters()
    {
        while (TryDequeueUser(out var message, out var sender))
        {
            _system.PublishDeadLetter(message, sender, this, recipientStopped: true);
        }
    }

    /// <summary>Tell that ignores the bound (kernel-generated messages such as PoisonPill from GracefulStop).</summary>
    internal void TellUnbounded(object message, IActorRef? sender) => EnqueueInternal(message, sender);

    /// <summary>Appends a message generated by the kernel for this actor (e.g. Terminated); never bounded.</summary>
    private void EnqueueInternal(object message, IActorRef? sender)
    {
        _bounded?.ForceReserve(); // the kernel's own messages may exceed the bound, but are counted
        EnqueueUser(message, sender);
    }
}
