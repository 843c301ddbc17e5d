namespace ActorHost.Actors;

/// <summary>Where an actor is in its lifecycle (for introspection).</summary>
public enum ActorState
{
    /// <summary>Created; the first instance is not built yet.</summary>
    Starting,

    /// <summary>Processing (or ready to process) messages.</summary>
    Running,

    /// <summary>Inside an async receive: user messages wait until it completes.</summary>
    Awaiting,

    /// <summary>Suspended because an ancestor failed.</summary>
    Suspended,

    /// <summary>Failed; waiting for its supervisor's directive.</summary>
    Failed,

    /// <summary>Being restarted (waiting for its children to stop, or building the fresh instance).</summary>
    Restarting,

    /// <summary>Stopping (waiting for its children to stop).</summary>
    Stopping,

    /// <summary>Stopped.</summary>
    Stopped,
}
