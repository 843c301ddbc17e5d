namespace ActorHost.Actors;

/// <summary>An <see cref="IActorRef.Ask{T}"/> whose message could not be delivered (it became a dead letter) fails with this at once.</summary>
public class DeadLetterException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public DeadLetterException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DeadLetterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DeadLetterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
