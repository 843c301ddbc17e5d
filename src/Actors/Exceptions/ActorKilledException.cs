namespace ActorHost.Actors;

/// <summary>Thrown inside an actor that received <see cref="Kill"/>; the default decider stops the actor.</summary>
public class ActorKilledException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ActorKilledException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorKilledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ActorKilledException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
