namespace ActorHost.Actors;

/// <summary>
/// The minimal actor: one synchronous <see cref="OnReceive"/> for every message (call <c>Unhandled(message)</c>
/// for messages you do not handle). For async handlers use <c>ReceiveActor.ReceiveAsync&lt;T&gt;</c> or
/// <c>Context.Become(Func&lt;object, Task&gt;)</c>.
/// </summary>
public abstract class UntypedActor : ActorBase
{
    /// <summary>Handles one message.</summary>
    protected abstract void OnReceive(object message);

    internal sealed override Task ReceiveDefault(object message)
    {
        OnReceive(message);
        return Task.CompletedTask;
    }
}
