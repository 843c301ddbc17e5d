namespace ActorHost.Actors;

/// <summary>
/// The outcome of <see cref="ActorSystem.WhenTerminated"/>. For <see cref="TerminationKind.Escalated"/>,
/// <see cref="Exception"/> is the original exception object (never re-thrown by the kernel, so its stack trace
/// is the one from the failing actor; use <c>ExceptionDispatchInfo.Capture(e).Throw()</c> to re-throw it intact).
/// </summary>
/// <param name="Kind">Normal or escalated.</param>
/// <param name="Exception">The escalated exception; <see langword="null"/> for a normal termination.</param>
/// <param name="FailedActor">The actor where the escalated failure originated, if known.</param>
public sealed record TerminationReason(TerminationKind Kind, Exception? Exception, ActorPath? FailedActor)
{
    /// <summary>A normal termination.</summary>
    public static TerminationReason Normal { get; } = new(TerminationKind.Normal, null, null);

    /// <summary>
    /// True when the orderly shutdown did not finish within <see cref="ActorSystemSettings.TerminationTimeout"/>
    /// (some actor did not stop in time); the system was declared terminated anyway.
    /// </summary>
    public bool TimedOut { get; init; }

    /// <summary>A termination caused by <paramref name="exception"/> escalating to the root guardian.</summary>
    public static TerminationReason Escalated(Exception exception, ActorPath? failedActor)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new TerminationReason(TerminationKind.Escalated, exception, failedActor);
    }

    /// <inheritdoc />
    public override string ToString() => Kind == TerminationKind.Normal
        ? (TimedOut ? "Normal (timed out)" : "Normal")
        : $"Escalated from {FailedActor?.ToString() ?? "?"}: {Exception?.GetType().FullName}: {Exception?.Message}{(TimedOut ? " (shutdown timed out)" : string.Empty)}";
}
