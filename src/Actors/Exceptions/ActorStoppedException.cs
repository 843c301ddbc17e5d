namespace ActorHost.Actors;

/// <summary>An Ask whose target actor is stopped (or stopped before processing the message) fails with this at once.</summary>
public class ActorStoppedException : DeadLetterException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ActorStoppedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorStoppedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ActorStoppedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
