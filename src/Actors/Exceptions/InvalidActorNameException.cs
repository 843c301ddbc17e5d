namespace ActorHost.Actors;

/// <summary>An actor name is invalid, or already taken by a sibling (names stay reserved until the old child has fully terminated).</summary>
public class InvalidActorNameException : ArgumentException
{
    /// <summary>Creates the exception with a default message.</summary>
    public InvalidActorNameException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidActorNameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvalidActorNameException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
