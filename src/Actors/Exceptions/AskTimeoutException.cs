namespace ActorHost.Actors;

/// <summary>An Ask did not receive a reply within its timeout.</summary>
public class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public AskTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AskTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public AskTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
