namespace ActorHost.Actors;

/// <summary>A non-actor watcher: completes a task when the watched actor has terminated (GracefulStop).</summary>
internal sealed class TerminationWatcher : IInternalActorRef
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TerminationWatcher(ActorPath target) => Path = target.Parent is null ? ActorPath.Root : ActorPath.Root.Child("temp").Child("$watch");

    public ActorPath Path { get; }

    public Task Terminated => _terminated.Task;

    public void Tell(object message, IActorRef? sender = null)
    {
    }

    public Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default)
        => Task.FromException<T>(new DeadLetterException("A termination watcher cannot be asked."));

    public void SendSystem(SystemMessage message)
    {
        if (message is DeathWatchNotification)
        {
            _terminated.TrySetResult();
        }
    }
}
