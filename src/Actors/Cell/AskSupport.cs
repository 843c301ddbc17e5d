namespace ActorHost.Actors;

/// <summary>The Ask pattern shared by every reference type.</summary>
internal static class AskSupport
{
    public static Task<T> Ask<T>(IActorRef target, ActorSystem system, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Ask timeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var promise = new PromiseRef<T>(target, timeout);
        promise.Arm(system.TimeProvider, system.AskTimeouts, cancellationToken);
        try
        {
            target.Tell(message, promise);
        }
        catch (MailboxFullException e)
        {
            promise.TryFail(e);
        }

        return promise.Task;
    }
}
