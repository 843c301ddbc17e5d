namespace ActorHost.Actors;

/// <summary>Thrown when an actor receives <see cref="Terminated"/> for a watched actor and does not handle it; the default decider stops the actor.</summary>
public class DeathPactException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DeathPactException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeathPactException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DeathPactException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
