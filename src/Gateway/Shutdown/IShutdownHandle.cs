namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// Starts the gateway's graceful shutdown from code (a worker, the management API's <c>POST /shutdown</c>)
/// exactly as SIGTERM would, and tells where it has got to. Resolve it from the gateway's services.
/// </summary>
public interface IShutdownHandle
{
    /// <summary>
    /// The phase the gateway is in; <see cref="ShutdownPhase.Running"/> until shutdown begins, and the first phase
    /// (<see cref="ShutdownPhase.Leave"/> in a cluster, else <see cref="ShutdownPhase.DrainDelay"/>) as soon as
    /// <see cref="Shutdown"/> has returned.
    /// </summary>
    ShutdownPhase Phase { get; }

    /// <summary>Why shutdown began (the reason given to <see cref="Shutdown"/> or the signal), or null while running.</summary>
    string? Reason { get; }

    /// <summary>Fires when shutdown begins (before the drain delay).</summary>
    CancellationToken ShutdownStarted { get; }

    /// <summary>Completes when every phase has run and the host is about to exit.</summary>
    Task Completion { get; }

    /// <summary>
    /// Begins the graceful shutdown with the configured phases. Idempotent: only the first call starts it
    /// (later calls change nothing; only a repeated signal skips phases).
    /// </summary>
    /// <param name="reason">Why, for the log (e.g. <c>"POST /shutdown"</c>).</param>
    /// <returns>True when this call started the shutdown; false when it was already under way.</returns>
    bool Shutdown(string reason);
}
