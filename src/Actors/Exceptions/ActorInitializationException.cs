namespace ActorHost.Actors;

/// <summary>
/// An actor could not be initialised: its constructor (the <see cref="Props"/> factory) or <c>PreStart</c> threw.
/// The original exception is the <see cref="Exception.InnerException"/>. The default decider stops the actor.
/// </summary>
public class ActorInitializationException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ActorInitializationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorInitializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ActorInitializationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the actor at <paramref name="actor"/>.</summary>
    public ActorInitializationException(ActorPath actor, string message, Exception? innerException)
        : base($"{actor}: {message}", innerException)
    {
        Actor = actor;
    }

    /// <summary>The actor that failed to initialise, when known.</summary>
    public ActorPath? Actor { get; }
}
