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
    // One per live worker (100,000 idle entities hold 100,000 of these): the identity is held here directly,
    // no delegates, no separate identity record; the handle only answers whether the incarnation is still live.
    private readonly IncarnationHandle<WorkerSlot> _handle;
    private readonly WorkerSlot _slot;
    private readonly string _route;
    private readonly string _path;
    private readonly int _incarnation;
    private readonly CancellationToken _shutdownToken;

    internal WorkerContext(IncarnationHandle<WorkerSlot> handle, string route, string path, int incarnation, CancellationToken shutdownToken)
    {
        _handle = handle;
        _slot = handle.Value;
        _route = route;
        _path = path;
        _incarnation = incarnation;
        _shutdownToken = shutdownToken;
    }

    /// <summary>The route name (<c>actorhost.routes.&lt;name&gt;</c>).</summary>
    public string Route => Live()._route;

    /// <summary>The worker's actor path, e.g. <c>/user/routes/counter/42</c>.</summary>
    public string Path => Live()._path;

    /// <summary>The entity key in entity mode; null in pool mode.</summary>
    public string? EntityKey => Live()._slot.EntityKey;

    /// <summary>This instance's incarnation: 1 for the first, +1 per restart (and per re-creation of an entity).</summary>
    public int Incarnation => Live()._incarnation;

    /// <summary>
    /// Fires when the host begins shutting down, and for an entity also when it is stopped with notice (in a
    /// cluster: its shard is handed to another node). Endless responses (SSE, long polls) should end cleanly
    /// when it fires; finite handlers may ignore it.
    /// </summary>
    public CancellationToken ShutdownToken
    {
        get
        {
            Live();
            return _slot.ShutdownToken(_shutdownToken);
        }
    }

    /// <summary>True once this incarnation has ended. Never throws.</summary>
    public bool IsStale => _handle.IsStale;

    private WorkerContext Live()
    {
        if (!_handle.IsStale)
        {
            return this;
        }

        // Reported with the worker-level numbering (which continues across entity re-creations), not the
        // kernel's per-actor one, so the numbers match what logs and clients saw.
        throw new StaleIncarnationException(_handle.Path, _incarnation, _slot.Terminated ? 0 : _slot.Incarnation);
    }
}
