namespace ActorHost.Workers.Options;

/// <summary>One route: <c>actorhost.routes.&lt;name&gt;</c>, over <c>actorhost.route-defaults</c>.</summary>
public sealed record RouteOptions
{
    /// <summary>The route's name (its key under <c>actorhost.routes</c>).</summary>
    public required string Name { get; init; }

    /// <summary>ASP.NET Core route template.</summary>
    public required string Path { get; init; }

    /// <summary>HTTP methods the route answers.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    /// <summary>Registered worker name.</summary>
    public required string Worker { get; init; }

    /// <summary>Pool or entity.</summary>
    public RouteMode Mode { get; init; } = RouteMode.Pool;

    /// <summary>Entity mode: the route value that is the entity key.</summary>
    public string EntityKey { get; init; } = "id";

    /// <summary>
    /// The longest finite <see cref="PassivateAfter"/>, <see cref="Timeout"/> and <see cref="StuckAfter"/> (49 days):
    /// each ends up in a timer, which cannot wait longer than about 49.7 days.
    /// </summary>
    public static TimeSpan MaxDuration { get; } = TimeSpan.FromDays(49);

    /// <summary>Entity mode: idle time after which an entity's worker is stopped (at most <see cref="MaxDuration"/>, or infinite).</summary>
    public TimeSpan PassivateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Pool mode: number of workers.</summary>
    public int Instances { get; init; } = 4;

    /// <summary>Pool mode: how a worker is chosen.</summary>
    public RouterKind Router { get; init; } = RouterKind.RoundRobin;

    /// <summary>Pool mode, consistent hash: route value (or header) hashed to pick a worker.</summary>
    public string HashKey { get; init; } = "id";

    /// <summary>Name of the supervision strategy for this route's workers.</summary>
    public string Supervision { get; init; } = "default";

    /// <summary>Request timeout (at most <see cref="MaxDuration"/>); <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after the timeout a handler that ignores cancellation is abandoned as stuck (at most <see cref="MaxDuration"/>, or infinite).</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>What a client disconnect does to the handler.</summary>
    public HandlerMode HandlerMode { get; init; } = HandlerMode.Detached;
}

/// <summary>How a route maps requests to workers.</summary>
public enum RouteMode
{
    /// <summary>N interchangeable workers behind a router.</summary>
    Pool,

    /// <summary>One worker per entity key, created on first use, passivated when idle.</summary>
    Entity,
}

/// <summary>How a pool route picks a worker.</summary>
public enum RouterKind
{
    /// <summary>Each worker in turn.</summary>
    RoundRobin,

    /// <summary>The worker with the fewest requests queued or running.</summary>
    LeastBusy,

    /// <summary>The same key always reaches the same worker.</summary>
    ConsistentHash,
}

/// <summary>What a client disconnect does to a running handler.</summary>
public enum HandlerMode
{
    /// <summary>The handler runs to completion; its real result is logged with the fact that the client left.</summary>
    Detached,

    /// <summary>The handler's token fires; the outcome is client_aborted (499).</summary>
    CancelOnDisconnect,
}
