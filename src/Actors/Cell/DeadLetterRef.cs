namespace ActorHost.Actors;

/// <summary><see cref="ActorSystem.DeadLetters"/>: everything told to it is published as a <see cref="DeadLetter"/>.</summary>
internal sealed class DeadLetterRef(ActorSystem system) : IInternalActorRef
{
    public ActorPath Path { get; } = ActorPath.Root.Child("deadLetters");

    public void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        system.PublishDeadLetter(message, sender, this, recipientStopped: false);
    }

    public Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default)
        => AskSupport.Ask<T>(this, system, message, timeout, cancellationToken);

    public void SendSystem(SystemMessage message)
    {
        // Watching dead letters: it is "already terminated".
        if (message is WatchMessage { IsWatch: true } watch)
        {
            watch.Watcher.SendSystem(new DeathWatchNotification(this));
        }
    }

    public override string ToString() => Path.ToString();
}
