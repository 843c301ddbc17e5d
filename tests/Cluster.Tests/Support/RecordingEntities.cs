using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>
/// Stands in for the worker runtime: records every StopEntitiesAsync call (in order, with the shards) and can
/// run a probe inside the call (e.g. to look at the lease table while the entities are "stopping").
/// </summary>
public sealed class RecordingEntities : IShardEntities
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlySet<int>> _calls = [];
    private readonly List<(Func<IReadOnlySet<int>, bool> Match, int After, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Runs inside each call, before it completes.</summary>
    public Func<IReadOnlySet<int>, CancellationToken, Task>? OnStop { get; set; }

    public IReadOnlyList<IReadOnlySet<int>> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlySet<int> StoppedShards
    {
        get
        {
            lock (_gate)
            {
                return _calls.SelectMany(c => c).ToHashSet();
            }
        }
    }

    public async Task StopEntitiesAsync(IReadOnlySet<int> shards, TimeSpan cancelAfter, CancellationToken cancellationToken)
    {
        if (OnStop is { } probe)
        {
            await probe(shards, cancellationToken);
        }

        List<TaskCompletionSource> done = [];
        lock (_gate)
        {
            _calls.Add(shards.ToHashSet());
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(StoppedAfter(waiter.After)))
                {
                    _waiters.Remove(waiter);
                    done.Add(waiter.Done);
                }
            }
        }

        done.ForEach(d => d.TrySetResult());
    }

    /// <summary>Completes once the union of shards stopped by the calls after the first <paramref name="after"/> satisfies <paramref name="match"/>.</summary>
    public Task WaitForAsync(Func<IReadOnlySet<int>, bool> match, TimeSpan guard, int after = 0)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (match(StoppedAfter(after)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((match, after, done));
        }

        return done.Task.WaitAsync(guard);
    }

    private HashSet<int> StoppedAfter(int after) => _calls.Skip(after).SelectMany(c => c).ToHashSet();
}
