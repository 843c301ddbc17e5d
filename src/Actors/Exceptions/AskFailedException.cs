namespace ActorHost.Actors;

/// <summary>
/// The actor processing an <see cref="IActorRef.Ask{T}"/> failed while handling that very message.
/// <see cref="Exception.InnerException"/> is the original exception (same object, stack trace intact);
/// <see cref="Directive"/> is what the supervisor decided.
/// </summary>
public class AskFailedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public AskFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public AskFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AskFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failure of <paramref name="actor"/> handled with <paramref name="directive"/>.</summary>
    public AskFailedException(ActorPath actor, Exception cause, Directive directive)
        : base($"{actor} failed while processing the asked message ({cause?.GetType().Name}: {cause?.Message}); supervisor directive: {directive}.", cause)
    {
        Actor = actor;
        Directive = directive;
    }

    /// <summary>Creates the exception with its own message, for an Ask whose actor was restarted by another's failure.</summary>
    internal AskFailedException(string message, ActorPath actor, Exception cause, Directive directive)
        : base(message, cause)
    {
        Actor = actor;
        Directive = directive;
    }

    /// <summary>The actor that failed.</summary>
    public ActorPath? Actor { get; }

    /// <summary>The directive its supervisor applied.</summary>
    public Directive Directive { get; }
}
