namespace ActorHost.Actors;

/// <summary>A bounded mailbox refused a message: thrown by Tell, or faults the Ask task.</summary>
public class MailboxFullException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public MailboxFullException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MailboxFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public MailboxFullException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
