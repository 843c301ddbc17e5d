namespace ActorHost.Cluster.Tests.Support;

/// <summary>
/// What a test saw, in order (log lines, cluster events), and the waits for what it expects to see: one matching item,
/// already recorded or still to come.
/// </summary>
/// <typeparam name="T">The recorded item.</typeparam>
public sealed class Recording<T>
    where T : class
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Done)> _waiters = [];

    /// <summary>A copy of everything recorded so far.</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>How many items were recorded so far (pass it as <c>after</c> to wait only for later ones).</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _items.Count;
        }
    }

    /// <summary>The first item (already recorded after the first <paramref name="after"/>, or future) matching <paramref name="match"/>.</summary>
    public Task<T> WaitForAsync(Func<T, bool> match, TimeSpan guard, int after = 0)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_items.Skip(after).FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(guard);
    }

    /// <summary>Records an item and completes the waits it matches (outside the lock: their continuations run elsewhere anyway).</summary>
    public void Add(T item)
    {
        List<TaskCompletionSource<T>> done = [];
        lock (_gate)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(item))
                {
                    _waiters.Remove(waiter);
                    done.Add(waiter.Done);
                }
            }
        }

        done.ForEach(d => d.TrySetResult(item));
    }
}
