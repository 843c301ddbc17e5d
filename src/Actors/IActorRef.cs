namespace ActorHost.Actors;

/// <summary>
/// An address to send messages to. Stable across restarts of the actor; after the actor stopped, messages sent
/// to it become dead letters. Thread-safe.
/// </summary>
public interface IActorRef
{
    /// <summary>Where the actor lives, e.g. <c>/user/routes/counter/42</c>.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// Sends <paramref name="message"/> without waiting. <paramref name="sender"/> is what the receiver sees as
    /// <c>Sender</c> (<see langword="null"/> = no sender; replies then become dead letters).
    /// </summary>
    /// <exception cref="MailboxFullException">The target has a bounded mailbox that is full.</exception>
    void Tell(object message, IActorRef? sender = null);

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and returns the first reply, cast to
    /// <typeparamref name="T"/>. The caller always hears the outcome, promptly:
    /// a reply → the result (a <see cref="Status.Failure"/> reply faults with its cause);
    /// the actor fails while handling this message → <see cref="AskFailedException"/> (original exception + directive);
    /// the target is stopped or stops before handling it → <see cref="ActorStoppedException"/>;
    /// the message becomes a dead letter otherwise → <see cref="DeadLetterException"/>;
    /// the actor has no handler for it → <see cref="UnhandledMessageException"/>;
    /// bounded mailbox full → <see cref="MailboxFullException"/> (or waits for space with <see cref="MailboxOverflow.BackPressure"/>);
    /// no reply within <paramref name="timeout"/> → <see cref="AskTimeoutException"/> (on the system clock timeouts
    /// are checked every 50 ms, so one may fire up to 50 ms late; other clocks fire exactly);
    /// <paramref name="cancellationToken"/> fired → <see cref="OperationCanceledException"/>;
    /// a reply of another type → <see cref="InvalidCastException"/>.
    /// </summary>
    Task<T> Ask<T>(object message, TimeSpan timeout, CancellationToken cancellationToken = default);
}
