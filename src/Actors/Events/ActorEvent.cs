namespace ActorHost.Actors;

/// <summary>
/// Base of every event the kernel publishes on the <see cref="EventStream"/>. Subscribe to
/// <see cref="ActorEvent"/> to receive all of them.
/// </summary>
/// <param name="Path">The actor the event is about.</param>
public abstract record ActorEvent(ActorPath Path)
{
    /// <summary>When the event happened, from the system's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
