namespace ActorHost.Actors;

/// <summary>
/// A restart could not complete: the fresh instance's constructor or <c>PostRestart</c> (which by default calls
/// <c>PreStart</c>) threw. As in Akka this is an <see cref="ActorInitializationException"/>, so the default
/// decider stops the actor instead of restarting it in a loop.
/// </summary>
public class PostRestartException : ActorInitializationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PostRestartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PostRestartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public PostRestartException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="actor"/>, restarted because of <paramref name="originalCause"/>.</summary>
    public PostRestartException(ActorPath actor, Exception innerException, Exception originalCause)
        : base(actor, "exception while restarting (constructor or PostRestart)", innerException)
    {
        OriginalCause = originalCause;
    }

    /// <summary>The failure that triggered the restart.</summary>
    public Exception? OriginalCause { get; }
}
