namespace ActorHost.Actors;

/// <summary>Graceful stop (Akka's <c>GracefulStop</c>).</summary>
public static class GracefulStopSupport
{
    /// <summary>
    /// Sends <see cref="PoisonPill"/> (so messages already queued are processed first) and waits until the actor
    /// has terminated. Returns <see langword="true"/> if it terminated within <paramref name="timeout"/>,
    /// <see langword="false"/> otherwise (it keeps stopping in the background).
    /// </summary>
    public static Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout) => throw new NotImplementedException();
}
