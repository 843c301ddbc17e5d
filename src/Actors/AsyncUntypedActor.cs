namespace ActorHost.Actors;

/// <summary>
/// An actor with a single asynchronous receive method and no handler table. While the task returned by
/// <see cref="OnReceiveAsync"/> runs, no other user message is processed (the mailbox is suspended, as for
/// <see cref="ReceiveActor"/>'s <c>ReceiveAsync</c>), and its continuations run on the actor. Use it for actors that
/// exist in very large numbers: it allocates nothing per instance for dispatch, where a <see cref="ReceiveActor"/>
/// holds a handler object and a delegate for every <c>Receive</c> registration.
/// </summary>
public abstract class AsyncUntypedActor : ActorBase
{
    /// <summary>Handles one message; a returned task that is not complete suspends the mailbox until it is.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The turn; <see cref="Task.CompletedTask"/> for a message handled synchronously.</returns>
    protected abstract Task OnReceiveAsync(object message);

    internal sealed override Task ReceiveDefault(object message) => IncarnationContext.RunAsyncReceive(this, message);

    internal Task InvokeReceiveAsync(object message) => OnReceiveAsync(message);
}
