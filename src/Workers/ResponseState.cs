namespace ActorHost.Workers;

/// <summary>Where a <see cref="ResponseChannel"/> is in its life. Transitions only move forward.</summary>
public enum ResponseState
{
    /// <summary>Nothing has been sent; the gateway may still answer with any status.</summary>
    NotStarted,

    /// <summary>The status line and headers went out; the status can no longer change.</summary>
    Started,

    /// <summary>The response ended cleanly.</summary>
    Completed,

    /// <summary>The gateway took the response over before it started (to answer 500/503/504 itself); handler writes are refused.</summary>
    Sealed,

    /// <summary>The response was cut off: the client sees a truncated body.</summary>
    Aborted,
}
