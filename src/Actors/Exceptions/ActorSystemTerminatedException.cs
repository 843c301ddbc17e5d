namespace ActorHost.Actors;

/// <summary>The actor system has terminated (or is terminating) and cannot create actors.</summary>
public class ActorSystemTerminatedException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ActorSystemTerminatedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorSystemTerminatedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ActorSystemTerminatedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
