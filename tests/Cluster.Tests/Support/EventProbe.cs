using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>Records a node's Changed events and lets a test wait for one that matches.</summary>
public sealed class EventProbe : IDisposable
{
    private readonly ClusterNode _node;
    private readonly Lock _gate = new();
    private readonly List<ClusterEvent> _events = [];
    private readonly List<(Func<ClusterEvent, bool> Match, TaskCompletionSource<ClusterEvent> Done)> _waiters = [];

    public EventProbe(ClusterNode node)
    {
        _node = node;
        node.Changed += OnChanged;
    }

    public IReadOnlyList<ClusterEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>How many events were seen so far (pass it as <c>after</c> to wait only for later ones).</summary>
    public int Mark()
    {
        lock (_gate)
        {
            return _events.Count;
        }
    }

    /// <summary>The first event (already seen after the first <paramref name="after"/>, or future) matching <paramref name="match"/>.</summary>
    public Task<ClusterEvent> WaitForAsync(Func<ClusterEvent, bool> match, TimeSpan guard, int after = 0)
    {
        var done = new TaskCompletionSource<ClusterEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_events.Skip(after).FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(guard);
    }

    public void Dispose() => _node.Changed -= OnChanged;

    private void OnChanged(ClusterEvent e)
    {
        List<TaskCompletionSource<ClusterEvent>> done = [];
        lock (_gate)
        {
            _events.Add(e);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(e))
                {
                    _waiters.Remove(waiter);
                    done.Add(waiter.Done);
                }
            }
        }

        done.ForEach(d => d.TrySetResult(e));
    }
}
