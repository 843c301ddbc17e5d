namespace ActorHost.Actors;

/// <summary>
/// An Ask's message was not handled by the target actor (no matching receive). The asker hears it at once
/// instead of waiting for the timeout.
/// </summary>
public class UnhandledMessageException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public UnhandledMessageException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UnhandledMessageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public UnhandledMessageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
