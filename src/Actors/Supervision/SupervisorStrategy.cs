namespace ActorHost.Actors;

/// <summary>
/// How a parent handles its children's failures: a <see cref="IDecider"/> plus a restart budget
/// (<see cref="MaxNrOfRetries"/> within <see cref="WithinTimeRange"/>). When a restart would exceed the budget
/// the child is stopped instead and <see cref="RetriesExhausted"/> is published.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed within the window; -1 = unlimited; 0 = never restart (stop instead).</param>
    /// <param name="withinTimeRange">The window; <see langword="null"/> or <see cref="Timeout.InfiniteTimeSpan"/> = infinite.</param>
    /// <param name="decider">Maps exceptions to directives.</param>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        if (maxNrOfRetries < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNrOfRetries), maxNrOfRetries, "maxNrOfRetries must be -1 (unlimited) or >= 0.");
        }

        if (withinTimeRange == Timeout.InfiniteTimeSpan)
        {
            withinTimeRange = null;
        }

        if (withinTimeRange is { } w && w <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(withinTimeRange), withinTimeRange, "withinTimeRange must be positive, or infinite.");
        }

        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Akka's default: one-for-one, unlimited restarts, <see cref="Actors.Decider.Default"/>.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(Actors.Decider.Default);

    /// <summary>One-for-one, every failure stops the child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(Actors.Decider.From(_ => Directive.Stop));

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; -1 = unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The retry window; <see langword="null"/> = infinite.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>Maps exceptions to directives.</summary>
    public IDecider Decider { get; }

    /// <summary>True when a directive applies to all children (all-for-one), false when only to the failed one.</summary>
    internal abstract bool AppliesToAllChildren { get; }
}
