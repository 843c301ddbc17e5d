namespace ActorHost.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/>; validated by <see cref="ActorSystem.Create"/>.</summary>
public sealed class ActorSystemSettings
{
    /// <summary>The clock for retry windows, backoff, ask timeouts, receive timeouts, the scheduler and event timestamps (not <see cref="TerminationTimeout"/>, which is real time).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>User messages an actor processes per turn on a thread-pool thread before yielding (default 30, as Akka).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>The mailbox of actors whose <see cref="Props"/> do not choose one (default unbounded).</summary>
    public MailboxOptions DefaultMailbox { get; init; } = MailboxOptions.Unbounded;

    /// <summary>
    /// The strategy of the user guardian (<c>/user</c>), i.e. what happens when a top-level actor fails.
    /// <see langword="null"/> = <see cref="SupervisorStrategy.DefaultStrategy"/> (Akka's default: restart).
    /// Use a strategy that escalates to make top-level failures reach the root (which terminates the system
    /// with <see cref="TerminationKind.Escalated"/>).
    /// </summary>
    public SupervisorStrategy? UserGuardianStrategy { get; init; }

    /// <summary>
    /// How long an orderly termination may take before the system is declared terminated anyway (default 10 s). Measured
    /// in real time, not on <see cref="TimeProvider"/>: it bounds actors that do not stop (a blocked <c>PostStop</c> or
    /// handler), which a manual clock could not free.
    /// </summary>
    public TimeSpan TerminationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default capacity of an event-stream subscription's buffer (default 4096); see <see cref="EventStream.Subscribe{T}"/>.</summary>
    public int EventSubscriberCapacity { get; init; } = 4096;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(DefaultMailbox);
        if (Throughput < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "Throughput must be at least 1.");
        }

        if (TerminationTimeout <= TimeSpan.Zero && TerminationTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(TerminationTimeout), TerminationTimeout, "TerminationTimeout must be positive or infinite.");
        }

        if (EventSubscriberCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EventSubscriberCapacity), EventSubscriberCapacity, "EventSubscriberCapacity must be at least 1.");
        }
    }
}
