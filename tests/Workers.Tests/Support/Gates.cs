using System.Collections.Concurrent;

namespace ActorHost.Workers.Tests.Support;

/// <summary>Named one-shot signals shared by a test and its workers (no sleeps: everyone waits on these).</summary>
public sealed class Gates
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new();

    public TaskCompletionSource Get(string name) =>
        _gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open(string name) => Get(name).TrySetResult();

    public Task WhenOpen(string name) => Get(name).Task;

    /// <summary>The worker context each request was handled with, by request id (for stale-context tests).</summary>
    public ConcurrentDictionary<string, WorkerContext> Contexts { get; } = new();

    /// <summary>Each probe instance, weakly, by the context it was built with (to see that ended ones are garbage).</summary>
    public ConcurrentDictionary<WorkerContext, WeakReference> Instances { get; } = new();
}

/// <summary>What workers did, in order (lifecycle hooks, constructions), for lifecycle assertions.</summary>
public sealed class Journal
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new();

    public void Write(string entry)
    {
        _entries.Enqueue(entry);
        foreach ((string prefix, TaskCompletionSource waiter) in _waiters)
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                waiter.TrySetResult();
            }
        }
    }

    public IReadOnlyList<string> Entries => [.. _entries];

    public int Count(string prefix) => _entries.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Completes when an entry starting with <paramref name="prefix"/> has been written (now or later).</summary>
    public Task WhenWritten(string prefix)
    {
        TaskCompletionSource waiter = _waiters.GetOrAdd(prefix, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_entries.Any(e => e.StartsWith(prefix, StringComparison.Ordinal)))
        {
            waiter.TrySetResult();
        }

        return waiter.Task;
    }
}
