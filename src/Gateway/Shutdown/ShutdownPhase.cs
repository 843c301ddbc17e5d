namespace ActorHost.Gateway.Shutdown;

/// <summary>The ordered phases of a graceful shutdown (README "Shutdown").</summary>
public enum ShutdownPhase
{
    /// <summary>Serving normally; no shutdown requested.</summary>
    Running,

    /// <summary>Cluster only: the node leaves the cluster, handing its shards off; requests are served (forwarded) normally.</summary>
    Leave,

    /// <summary>Readiness fails; requests are still served normally so load balancers can notice.</summary>
    DrainDelay,

    /// <summary>The listening sockets close; requests on open connections get 503 with Retry-After.</summary>
    StopAccepting,

    /// <summary>In-flight requests may finish; endless responses are told to end through the shutdown token.</summary>
    Grace,

    /// <summary>What still runs is cancelled and, at the end of the phase, cut off.</summary>
    Mercy,

    /// <summary>Workers stop (children before parents, every stop hook runs) and the actor system terminates.</summary>
    StopWorkers,

    /// <summary>Every phase ran; the process exits.</summary>
    Stopped,
}
