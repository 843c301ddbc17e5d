using System.Collections;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>A set of shards that tells the test when the stopper has moved on to a given shard.</summary>
public sealed class ObservedShardSet(int[] shards) : IReadOnlySet<int>
{
    private readonly HashSet<int> _set = [.. shards];
    private readonly Dictionary<int, TaskCompletionSource> _reached = shards.ToDictionary(s => s, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public int Count => _set.Count;

    public Task Reached(int shard) => _reached[shard].Task;

    public IEnumerator<int> GetEnumerator()
    {
        foreach (int shard in shards)
        {
            _reached[shard].TrySetResult();
            yield return shard;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Contains(int item) => _set.Contains(item);

    public bool IsProperSubsetOf(IEnumerable<int> other) => _set.IsProperSubsetOf(other);

    public bool IsProperSupersetOf(IEnumerable<int> other) => _set.IsProperSupersetOf(other);

    public bool IsSubsetOf(IEnumerable<int> other) => _set.IsSubsetOf(other);

    public bool IsSupersetOf(IEnumerable<int> other) => _set.IsSupersetOf(other);

    public bool Overlaps(IEnumerable<int> other) => _set.Overlaps(other);

    public bool SetEquals(IEnumerable<int> other) => _set.SetEquals(other);
}
