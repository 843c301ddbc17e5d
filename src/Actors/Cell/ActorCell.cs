namespace ActorHost.Actors;

/// <summary>The runtime of one actor: mailbox, lifecycle, supervision of its children. Also its <see cref="IActorRef"/>.</summary>
internal sealed partial class ActorCell : IActorRef
{
    public ActorPath Path => throw new NotImplementedException();

    public void Tell(object message, IActorRef? sender = null) => throw new NotImplementedException();

    public Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    internal void OnUnhandled(object message) => throw new NotImplementedException();
}
