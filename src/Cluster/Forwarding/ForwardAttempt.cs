namespace ActorHost.Cluster.Forwarding;

/// <summary>What one attempt to forward a request achieved.</summary>
internal enum ForwardAttempt
{
    /// <summary>The request's result is decided (whatever it is): nothing more to do.</summary>
    Completed,

    /// <summary>The receiver does not own the shard (421). Nothing ran; safe to retry elsewhere.</summary>
    Misdirected,

    /// <summary>No connection could be made to the owner. Nothing ran; safe to retry elsewhere.</summary>
    Unreachable,
}
