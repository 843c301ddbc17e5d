namespace ActorHost.Actors;

/// <summary>Graceful stop (Akka's <c>GracefulStop</c>).</summary>
public static class GracefulStopSupport
{
    /// <summary>
    /// Sends <see cref="PoisonPill"/> (so messages already queued are processed first) and waits until the actor
    /// has terminated. Returns <see langword="true"/> if it terminated within <paramref name="timeout"/>,
    /// <see langword="false"/> otherwise (it keeps stopping in the background). Uses the system's clock.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a local actor.</exception>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not ActorCell cell)
        {
            throw new ArgumentException($"Cannot gracefully stop {target.Path}: it is not an actor.", nameof(target));
        }

        var watcher = new TerminationWatcher(cell.Path);
        cell.SendSystem(new WatchMessage(watcher, watch: true));
        cell.TellUnbounded(PoisonPill.Instance, null);
        if (watcher.Terminated.IsCompleted)
        {
            return true;
        }

        try
        {
            await watcher.Terminated.WaitAsync(timeout, cell.System.TimeProvider).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
