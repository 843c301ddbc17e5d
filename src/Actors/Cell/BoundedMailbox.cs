using System.Collections.Concurrent;

namespace ActorHost.Actors;

/// <summary>Capacity accounting of a bounded mailbox, plus the Asks waiting for space (back-pressure).</summary>
internal sealed class BoundedMailbox(int capacity, MailboxOverflow overflow)
{
    private readonly ConcurrentQueue<TaskCompletionSource> _waiters = new();
    private int _count;

    public int Capacity { get; } = capacity;

    public MailboxOverflow Overflow { get; } = overflow;

    public bool TryReserve()
    {
        var count = Volatile.Read(ref _count);
        while (count < Capacity)
        {
            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                return true;
            }

            count = seen;
        }

        return false;
    }

    /// <summary>Counts a message the kernel enqueues regardless of the bound.</summary>
    public void ForceReserve() => Interlocked.Increment(ref _count);

    /// <summary>Called for every message taken out of the queue (processed or dead-lettered).</summary>
    public void Release()
    {
        Interlocked.Decrement(ref _count);
        if (!_waiters.IsEmpty && _waiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Waits until a slot may be free (then the caller tries to reserve again).</summary>
    public Task WaitForSpaceAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue(waiter);

        // A slot may have been released between the failed reservation and the registration.
        if (Volatile.Read(ref _count) < Capacity && _waiters.TryDequeue(out var first))
        {
            first.TrySetResult();
        }

        return waiter.Task;
    }

    /// <summary>Wakes every waiter (the actor stopped; they will find the mailbox closed).</summary>
    public void ReleaseAllWaiters()
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
