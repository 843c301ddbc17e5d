namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// <c>actorhost.shutdown</c>: how long each phase of a graceful shutdown may take. Together they bound the
/// whole shutdown: leave + drain-delay + grace + mercy + stop-workers + <see cref="ExitMargin"/> (leave only
/// counts when the cluster is on).
/// </summary>
internal sealed record ShutdownOptions
{
    /// <summary>What the watchdog allows beyond the configured phases (closing listeners, flushing logs).</summary>
    public static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(1);

    /// <summary>Cluster only: the node hands its shards off (entities stop, leases pass on) within this; 0 when the cluster is off.</summary>
    public TimeSpan Leave { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Readiness fails at once; requests are still served for this long.</summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.Zero;

    /// <summary>In-flight requests may finish; endless responses are told to end.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After grace, what still runs is cancelled and given this long before it is cut off.</summary>
    public TimeSpan Mercy { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Workers stop (every stop hook runs) and the actor system terminates within this.</summary>
    public TimeSpan StopWorkers { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest a shutdown can take, whatever the workers do; the watchdog exits the process then.</summary>
    public TimeSpan Budget => Leave + DrainDelay + Grace + Mercy + StopWorkers + ExitMargin;
}
