namespace ActorHost.Actors;

/// <summary>A message handler pushed with Become: either synchronous or async.</summary>
internal sealed class Behavior
{
    private readonly Action<object>? _sync;
    private readonly Func<object, Task>? _async;

    public Behavior(Action<object> sync) => _sync = sync;

    public Behavior(Func<object, Task> async) => _async = async;

    public Task Invoke(ActorBase actor, object message)
    {
        if (_sync is not null)
        {
            _sync(message);
            return Task.CompletedTask;
        }

        return actor.IncarnationContext.RunAsyncHandler(_async!, message);
    }
}
