namespace ActorHost.Actors;

/// <summary>
/// Lets a thread that is about to wait for an actor's answer do the actor's work itself: the turn that a send wakes
/// runs on the calling thread before <see cref="Run{TState}"/> returns, instead of being queued on the thread pool for
/// another thread to pick up. This saves a thread-pool round trip, and often a thread wake-up, per message where a
/// request thread sends to a worker and then only awaits the reply.
/// </summary>
/// <remarks>
/// Only an actor that was idle and is woken by the send runs here (then, as after any turn, the cells its turn wakes,
/// bounded as on a pool thread); an actor that is busy or already scheduled just gets the message. The turn runs
/// without the caller's async locals, as it would on a pool thread, and takes as long as the receive's synchronous
/// part: call this only from a thread that may spend that time, such as a request thread, and never while holding a
/// lock. Inside an actor's turn it is the plain send.
/// </remarks>
public static class CallingThread
{
    /// <summary>Calls <paramref name="send"/>, then runs the turn it woke, if any, on this thread.</summary>
    /// <typeparam name="TState">What <paramref name="send"/> needs (passed to avoid a closure).</typeparam>
    /// <param name="send">Sends (tells) one message, or none.</param>
    /// <param name="state">The argument of <paramref name="send"/>.</param>
    public static void Run<TState>(Action<TState> send, TState state)
    {
        ArgumentNullException.ThrowIfNull(send);
        ActorCell.RunOnCallingThread(send, state);
    }
}
