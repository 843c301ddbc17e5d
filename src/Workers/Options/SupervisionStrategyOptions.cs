namespace ActorHost.Workers.Options;

/// <summary>A named strategy: <c>actorhost.supervision.strategies.&lt;name&gt;</c>.</summary>
public sealed record SupervisionStrategyOptions
{
    /// <summary>The strategy's name.</summary>
    public required string Name { get; init; }

    /// <summary>One-for-one or all-for-one.</summary>
    public StrategyKind Type { get; init; } = StrategyKind.OneForOne;

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/>; -1 for no limit.</summary>
    public int MaxNrOfRetries { get; init; } = -1;

    /// <summary>The retry window; <see cref="Timeout.InfiniteTimeSpan"/> for the whole life.</summary>
    public TimeSpan WithinTimeRange { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Ordered decider rules.</summary>
    public IReadOnlyList<DeciderRule> Decider { get; init; } = [new("*", SupervisionDirective.Restart)];

    /// <summary>Where the strategy was defined (file:line), for the dashboard and error messages.</summary>
    public string? Origin { get; init; }
}

/// <summary>One decider rule: an exception type name (or "*") and the directive for it.</summary>
/// <param name="Exception">Full .NET type name, or "*" for the default.</param>
/// <param name="Directive">What to do.</param>
public sealed record DeciderRule(string Exception, SupervisionDirective Directive);

/// <summary>One-for-one or all-for-one.</summary>
public enum StrategyKind
{
    /// <summary>Only the failed child is affected.</summary>
    OneForOne,

    /// <summary>All siblings receive the directive.</summary>
    AllForOne,
}

/// <summary>The directive words of the configuration (mapped onto the kernel's directives).</summary>
public enum SupervisionDirective
{
    /// <summary>Keep the instance and its state; go on with the next message.</summary>
    Resume,

    /// <summary>Replace the instance with a fresh one; queued messages are kept.</summary>
    Restart,

    /// <summary>Stop the worker; queued requests get 503.</summary>
    Stop,

    /// <summary>Fail the supervisor with the same exception; its supervisor decides.</summary>
    Escalate,
}
