using System.Collections.Concurrent;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>Named signals a test and its <see cref="GateWorker"/> share: "entered" from the worker, "release" from the test.</summary>
public sealed class Gates
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();

    public TaskCompletionSource Signal(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task Entered(string gate) => Signal("entered:" + gate).Task.WaitAsync(TimeSpan.FromSeconds(15));

    public void Release(string gate) => Signal("release:" + gate).TrySetResult();
}
