namespace ActorHost.Actors;

/// <summary>
/// A parent that re-creates its single child with exponentially growing delays (min → max, with jitter), so a
/// failing dependency is not hammered by restarts. Messages sent to the backoff supervisor are forwarded to the
/// child with their original sender; while the child is down they become dead letters (an Ask fails at once).
/// Delays run on the system's <see cref="TimeProvider"/>.
/// </summary>
public static class BackoffSupervisor
{
    /// <summary>Props for a backoff supervisor.</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Actors.Props.Create(() => new BackoffSupervisorActor(options));
    }

    /// <summary>The delay before re-creation number <paramref name="restartCount"/> (0-based): min(max, min·2^n)·(1 + random·factor).</summary>
    public static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(restartCount);
        var jitter = 1.0 + ((random ?? System.Random.Shared).NextDouble() * randomFactor);
        var exponent = Math.Min(restartCount, 30);
        var ticks = Math.Min(maxBackoff.Ticks, minBackoff.Ticks * Math.Pow(2, exponent));
        var result = ticks * jitter;
        return result >= TimeSpan.MaxValue.Ticks ? maxBackoff : TimeSpan.FromTicks((long)result);
    }

#pragma warning disable CA1034 // Akka's message names, scoped to the supervisor they talk to.
    /// <summary>Ask the backoff supervisor for its current child; it replies <see cref="CurrentChild"/>.</summary>
    public sealed class GetCurrentChild
    {
        private GetCurrentChild()
        {
        }

        /// <summary>The single instance.</summary>
        public static GetCurrentChild Instance { get; } = new();
    }

    /// <summary>Reply to <see cref="GetCurrentChild"/>.</summary>
    /// <param name="Ref">The live child, or <see langword="null"/> while it is down.</param>
    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Ask the backoff supervisor how many delayed re-creations happened since the last reset; it replies <see cref="RestartCount"/>.</summary>
    public sealed class GetRestartCount
    {
        private GetRestartCount()
        {
        }

        /// <summary>The single instance.</summary>
        public static GetRestartCount Instance { get; } = new();
    }

    /// <summary>Reply to <see cref="GetRestartCount"/>.</summary>
    /// <param name="Count">Re-creations since the last reset.</param>
    public sealed record RestartCount(int Count);
#pragma warning restore CA1034
}
