namespace ActorHost.Actors;

/// <summary>What a bounded mailbox does when it is full.</summary>
public enum MailboxOverflow
{
    /// <summary>Refuse the message: <c>Tell</c> throws <see cref="MailboxFullException"/>, an Ask faults with it.</summary>
    Reject,

    /// <summary>
    /// An Ask waits (asynchronously, within its timeout and cancellation) until there is space. <c>Tell</c> cannot
    /// wait, so it behaves as <see cref="Reject"/>.
    /// </summary>
    BackPressure,
}
