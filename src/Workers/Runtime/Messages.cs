namespace ActorHost.Workers.Runtime;

/// <summary>The host declared the handler of <paramref name="Envelope"/> stuck: fail its worker.</summary>
/// <param name="Envelope">The request whose handler ignored cancellation.</param>
internal sealed record FailStuckWorker(RequestEnvelope Envelope);

/// <summary>Asks a route supervisor to stop every entity whose key matches; <paramref name="Done"/> completes once they have terminated.</summary>
internal sealed record StopEntities(Func<string, bool> KeyMatches, TaskCompletionSource Done);

/// <summary>
/// The route supervisor's passivation tick: every entity idle for a full <c>passivate-after</c> is passivated.
/// One timer per route instead of one per entity, so an idle entity costs no timer.
/// </summary>
internal sealed class PassivationTick
{
    private PassivationTick()
    {
    }

    public static PassivationTick Instance { get; } = new();
}
