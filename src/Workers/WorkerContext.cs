using ActorHost.Actors;
using ActorHost.Workers.Runtime;

namespace ActorHost.Workers;

/// <summary>
/// What a worker instance may know about itself: its route, actor path, entity key, incarnation and the
/// runtime's shutdown token. Bound to one incarnation: once that incarnation has ended (restart, stop,
/// passivation, or abandonment of a stuck handler) every member except <see cref="IsStale"/> throws
/// <see cref="StaleIncarnationException"/>, so code that outlived its instance (a timer, a detached task,
/// a hung handler resuming late) cannot act as if it were still the live worker.
/// </summary>
public sealed class WorkerContext
{
    // One per live worker (100,000 idle entities hold 100,000 of these): no delegates or copies, just references.
    private readonly WorkerIdentity _identity;
    private readonly IncarnationHandle<WorkerIdentity> _handle;
    private readonly WorkerSlot _slot;
    private readonly CancellationToken _shutdownToken;

    internal WorkerContext(IncarnationHandle<WorkerIdentity> handle, WorkerIdentity identity, WorkerSlot slot, CancellationToken shutdownToken)
    {
        _identity = identity;
        _handle = handle;
        _slot = slot;
        _shutdownToken = shutdownToken;
    }

    /// <summary>The route name (<c>actorhost.routes.&lt;name&gt;</c>).</summary>
    public string Route => Live().Route;

    /// <summary>The worker's actor path, e.g. <c>/user/routes/counter/42</c>.</summary>
    public string Path => Live().Path;

    /// <summary>The entity key in entity mode; null in pool mode.</summary>
    public string? EntityKey => Live().EntityKey;

    /// <summary>This instance's incarnation: 1 for the first, +1 per restart (and per re-creation of an entity).</summary>
    public int Incarnation => Live().Incarnation;

    /// <summary>
    /// Fires when the host begins shutting down. Endless responses (SSE, long polls) should end cleanly
    /// when it fires; finite handlers may ignore it.
    /// </summary>
    public CancellationToken ShutdownToken
    {
        get
        {
            Live();
            return _shutdownToken;
        }
    }

    /// <summary>True once this incarnation has ended. Never throws.</summary>
    public bool IsStale => _handle.IsStale;

    private WorkerIdentity Live()
    {
        if (_handle.TryGetValue(out WorkerIdentity identity))
        {
            return identity;
        }

        // Reported with the worker-level numbering (which continues across entity re-creations), not the
        // kernel's per-actor one, so the numbers match what logs and clients saw.
        throw new StaleIncarnationException(_handle.Path, _identity.Incarnation, _slot.Terminated ? 0 : _slot.Incarnation);
    }
}

/// <summary>Who a worker incarnation is.</summary>
/// <param name="Route">The route name.</param>
/// <param name="Path">The actor path.</param>
/// <param name="EntityKey">The entity key, or null in pool mode.</param>
/// <param name="Incarnation">The worker-level incarnation number.</param>
internal sealed record WorkerIdentity(string Route, string Path, string? EntityKey, int Incarnation);
