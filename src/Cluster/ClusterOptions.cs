namespace ActorHost.Cluster;

/// <summary>
/// <c>actorhost.cluster</c>: how this node joins the gateway cluster. Every key is documented in
/// <c>hocon/reference.conf</c>; the defaults here are the defaults there.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary><c>enabled</c>: off (the default) runs a single node that needs no database.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>node-id</c>: this node's unique name; empty = host name, process id and a random suffix.</summary>
    public string NodeId { get; init; } = "";

    /// <summary><c>connection-string</c>: the PostgreSQL (Npgsql) connection string of the coordination database.</summary>
    public string ConnectionString { get; init; } = "";

    /// <summary><c>schema</c>: the PostgreSQL schema holding the cluster's tables (created when missing).</summary>
    public string Schema { get; init; } = "actorhost";

    /// <summary>
    /// <c>number-of-shards</c>: entity keys are hashed onto this many shards. Must never change while any
    /// node of the cluster runs (every node must compute the same shard for the same key).
    /// </summary>
    public int NumberOfShards { get; init; } = 100;

    /// <summary>
    /// <c>advertise-url</c>: the address other nodes use to reach this node's internal listener. Port 0 (with an IP
    /// address as host and no <c>internal-urls</c>) binds any free port and advertises the one bound.
    /// </summary>
    public Uri? AdvertiseUrl { get; init; }

    /// <summary>
    /// <c>internal-urls</c>: where the internal (node-to-node) listener binds; empty = the advertise URL's
    /// port on all interfaces of its host.
    /// </summary>
    public IReadOnlyList<string> InternalUrls { get; init; } = [];

    /// <summary><c>secret</c>: the shared HMAC key authenticating node-to-node requests (at least 32 characters).</summary>
    public string Secret { get; init; } = "";

    /// <summary><c>heartbeat-interval</c>: how often the node heartbeats, renews its leases and re-reads the cluster.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>failure-timeout</c>: a member whose last heartbeat (database clock) is older than this is down.</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>lease-duration</c>: how long a shard lease lasts after each renewal (database clock).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>fencing-margin</c>: a node stops serving a shard this long before its lease could expire for others
    /// (measured on its local monotonic clock from the moment it sent the renewal).
    /// </summary>
    public TimeSpan FencingMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>handoff-timeout</c>: how long a request for a shard without a serving owner (hand-off in progress,
    /// failover gap) waits for one before it is answered 503 with Retry-After.
    /// </summary>
    public TimeSpan HandoffTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>handoff-buffer</c>: at most this many requests wait for owners at once; more get 503 at once.</summary>
    public int HandoffBuffer { get; init; } = 10_000;

    /// <summary><c>rebalance-batch</c>: at most this many shards a node hands off per heartbeat when members join.</summary>
    public int RebalanceBatch { get; init; } = 10;

    /// <summary><c>replay-window</c>: a signed internal request older or newer than this (sender clock vs receiver clock) is refused.</summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>forward-timeout</c>: connect timeout for forwarded requests (the route timeout bounds the rest).</summary>
    public TimeSpan ForwardConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>ready-during-database-outage</c>: whether <c>/ready</c> stays 200 while this node cannot reach the database
    /// (its pool routes still serve, its shards answer 503 once fenced), so that an outage of the shared database
    /// does not take every node out of its load balancer.
    /// </summary>
    public bool ReadyDuringDatabaseOutage { get; init; } = true;
}
