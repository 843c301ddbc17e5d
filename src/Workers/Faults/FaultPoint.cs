namespace ActorHost.Workers.Faults;

/// <summary>Where an injected fault strikes (<c>point</c> in a rule).</summary>
public enum FaultPoint
{
    /// <summary>The worker's constructor throws (an initialization failure of the incarnation).</summary>
    Constructor,

    /// <summary>The handler throws before it runs.</summary>
    BeforeHandle,

    /// <summary>A response write throws once <see cref="FaultRule.AfterBytes"/> body bytes were written (or the response ends with fewer).</summary>
    AfterBytes,

    /// <summary>A response write fails like a peer reset (<see cref="IOException"/>); the handler is cancelled with cause peer_closed.</summary>
    OnWrite,

    /// <summary>The handler hangs, ignoring its cancellation, until its incarnation is retired or <see cref="FaultRule.HangLimit"/> passes.</summary>
    Hang,
}
