using System.Collections.Concurrent;
using ActorHost.Workers;
using ActorHost.Workers.Options;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>This node's worker runtime as a recorder: what was dispatched and reported stuck locally.</summary>
public sealed class RecordingLocalRuntime : IWorkerRuntime
{
    private readonly TaskCompletionSource<RuntimeTermination> _terminated = new();
    private readonly ConcurrentDictionary<RequestEnvelope, TaskCompletionSource> _arrivals = new();

    public IReadOnlyDictionary<string, RouteOptions> Routes { get; } = new Dictionary<string, RouteOptions>
    {
        ["counter"] = new() { Name = "counter", Path = "/counter/{id}", Worker = "counter", Mode = RouteMode.Entity, EntityKey = "id" },
        ["echo"] = new() { Name = "echo", Path = "/echo", Worker = "echo", Mode = RouteMode.Pool },
    };

    public ConcurrentQueue<RequestEnvelope> Dispatched { get; } = new();

    public ConcurrentQueue<RequestEnvelope> Stuck { get; } = new();

    public Task<RuntimeTermination> WhenTerminated => _terminated.Task;

    public RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink) => new(request, sink);

    /// <summary>Runs inside <see cref="Dispatch"/>, before it returns.</summary>
    public Action<RequestEnvelope>? OnDispatch { get; set; }

    public void Dispatch(RequestEnvelope envelope)
    {
        OnDispatch?.Invoke(envelope);
        Dispatched.Enqueue(envelope);
        _arrivals.GetOrAdd(envelope, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when <paramref name="envelope"/> was dispatched here (now or later).</summary>
    public Task WhenDispatched(RequestEnvelope envelope) =>
        _arrivals.GetOrAdd(envelope, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(Forward.Guard);

    public void ReportStuck(RequestEnvelope envelope) => Stuck.Enqueue(envelope);

    public Task StopAsync(TimeSpan timeout) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
