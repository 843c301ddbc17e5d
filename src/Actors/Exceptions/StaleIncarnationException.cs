namespace ActorHost.Actors;

/// <summary>
/// Something handed out by an actor incarnation (its <see cref="IActorContext"/>, an
/// <see cref="IncarnationHandle{T}"/>) was used after that incarnation ended (restart, stop, or abandonment
/// through <see cref="IActorContext.Fail"/>). The message always contains "stale incarnation".
/// </summary>
public class StaleIncarnationException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StaleIncarnationException()
        : base("Use of a stale incarnation.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StaleIncarnationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StaleIncarnationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for incarnation <paramref name="incarnation"/> of <paramref name="actor"/>.</summary>
    public StaleIncarnationException(ActorPath actor, int incarnation, int currentIncarnation)
        : this(actor, incarnation, currentIncarnation > 0
            ? "current incarnation: " + currentIncarnation.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "current incarnation: none, the actor is stopped")
    {
    }

    /// <summary>Creates the exception for incarnation <paramref name="incarnation"/> of <paramref name="actor"/>, whose state <paramref name="actorState"/> describes.</summary>
    internal StaleIncarnationException(ActorPath actor, int incarnation, string actorState)
        : base($"Use of stale incarnation {incarnation} of {actor} ({actorState}); the object was handed out by an incarnation that has ended.")
    {
        Actor = actor;
        Incarnation = incarnation;
    }

    /// <summary>The actor whose incarnation ended.</summary>
    public ActorPath? Actor { get; }

    /// <summary>The ended incarnation that handed out the object.</summary>
    public int Incarnation { get; }
}
