using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Coordination;

/// <summary>Log lines of the cluster coordination (category <c>ActorHost.Cluster</c>, event ids 500–599).</summary>
internal static partial class ClusterLog
{
    /// <summary>The category.</summary>
    public const string Category = "ActorHost.Cluster";

    [LoggerMessage(EventId = 500, EventName = "ClusterJoined", Level = LogLevel.Information,
        Message = "Cluster node {NodeId} is up at {Address} ({Members} members, {Shards} shards in schema {Schema}).")]
    public static partial void Joined(ILogger logger, string nodeId, string address, int members, int shards, string schema);

    // One event for every failed database step (the outage accounting and the fencing treat them alike), but the
    // line says which it was: an operator told "unreachable" while the server answers looks in the wrong place.
    [LoggerMessage(EventId = 501, EventName = "DatabaseUnreachable", Level = LogLevel.Warning,
        Message = "Cluster database {Failure} ({Operation}); retrying every heartbeat. Shards stay served until their fencing deadline.")]
    public static partial void DatabaseUnreachable(ILogger logger, Exception exception, string failure, string operation);

    [LoggerMessage(EventId = 502, EventName = "DatabaseReachable", Level = LogLevel.Information,
        Message = "Cluster database reachable again after {Outage}.")]
    public static partial void DatabaseReachable(ILogger logger, TimeSpan outage);

    [LoggerMessage(EventId = 503, EventName = "SelfFenced", Level = LogLevel.Warning,
        Message = "Cluster node {NodeId} self-fenced: could not renew {Count} shard leases within lease-duration − fencing-margin; answering 503 until the database is reachable.")]
    public static partial void SelfFenced(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 504, EventName = "Recovered", Level = LogLevel.Information,
        Message = "Cluster node {NodeId} recovered: leases renewed again, serving {Count} shards.")]
    public static partial void Recovered(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 505, EventName = "ShardsLost", Level = LogLevel.Warning,
        Message = "Cluster node {NodeId} lost {Count} shards it served (their leases were taken after expiring): {Shards}.")]
    public static partial void ShardsLost(ILogger logger, string nodeId, int count, string shards);

    [LoggerMessage(EventId = 506, EventName = "ShardsAcquired", Level = LogLevel.Information,
        Message = "Cluster node {NodeId} now serves {Count} more shards: {Shards}.")]
    public static partial void ShardsAcquired(ILogger logger, string nodeId, int count, string shards);

    [LoggerMessage(EventId = 507, EventName = "HandOffStarted", Level = LogLevel.Information,
        Message = "Handing {Count} shards off to {Successor}: {Shards}.")]
    public static partial void HandOffStarted(ILogger logger, int count, string successor, string shards);

    [LoggerMessage(EventId = 508, EventName = "HandOffCompleted", Level = LogLevel.Information,
        Message = "Handed {Count} shards off to {Successor} in {Elapsed}.")]
    public static partial void HandOffCompleted(ILogger logger, int count, string successor, TimeSpan elapsed);

    [LoggerMessage(EventId = 509, EventName = "HandOffFailed", Level = LogLevel.Warning,
        Message = "Hand-off of {Count} shards failed; this node keeps them and retries.")]
    public static partial void HandOffFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 521, EventName = "HandOffWaitsForEntities", Level = LogLevel.Warning,
        Message = "The entities of shard {Shard} still run {Waited} after they were given notice and then cancelled; the shard stays fenced here (not handed off) until they exit or are abandoned as stuck.")]
    public static partial void HandOffWaitsForEntities(ILogger logger, int shard, TimeSpan waited);

    [LoggerMessage(EventId = 510, EventName = "StopEntitiesFailed", Level = LogLevel.Error,
        Message = "Stopping the entities of shards {Shards} failed ({Reason}); going on.")]
    public static partial void StopEntitiesFailed(ILogger logger, Exception exception, string shards, string reason);

    [LoggerMessage(EventId = 511, EventName = "MemberChanged", Level = LogLevel.Information,
        Message = "Cluster member {Member} {Change}.")]
    public static partial void MemberChanged(ILogger logger, string member, string change);

    [LoggerMessage(EventId = 512, EventName = "LeaveStarted", Level = LogLevel.Information,
        Message = "Cluster node {NodeId} leaving: handing off {Count} shards.")]
    public static partial void LeaveStarted(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 513, EventName = "LeaveCompleted", Level = LogLevel.Information,
        Message = "Cluster node {NodeId} left the cluster in {Elapsed}.")]
    public static partial void LeaveCompleted(ILogger logger, string nodeId, TimeSpan elapsed);

    [LoggerMessage(EventId = 514, EventName = "LeaveIncomplete", Level = LogLevel.Warning,
        Message = "Cluster node {NodeId} could not hand off every shard in time ({Reason}); {Count} leases released or left to expire.")]
    public static partial void LeaveIncomplete(ILogger logger, string nodeId, string reason, int count);

    [LoggerMessage(EventId = 515, EventName = "ListenerFailed", Level = LogLevel.Debug,
        Message = "Cluster change listener lost its connection; polling every heartbeat until it reconnects.")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 516, EventName = "ListenerConnected", Level = LogLevel.Debug,
        Message = "Cluster change listener listening on channel {Channel}.")]
    public static partial void ListenerConnected(ILogger logger, string channel);

    [LoggerMessage(EventId = 517, EventName = "DuplicateNodeId", Level = LogLevel.Warning,
        Message = "Cluster node id {NodeId} was heartbeating {Age} ago: if another process still runs with this id, it is displaced now and stops serving; give each node its own node-id.")]
    public static partial void DuplicateNodeId(ILogger logger, string nodeId, TimeSpan age);

    [LoggerMessage(EventId = 518, EventName = "ChangedHandlerFailed", Level = LogLevel.Error,
        Message = "A cluster Changed handler threw on {Kind}; the node goes on.")]
    public static partial void ChangedHandlerFailed(ILogger logger, Exception exception, ClusterEventKind kind);

    [LoggerMessage(EventId = 520, EventName = "NodeDisplaced", Level = LogLevel.Critical,
        Message = "Cluster node {NodeId} (instance {Instance}) was displaced: another process registered with the same node id. This process stopped serving its {Count} shards, renews no lease and reports not ready until it is restarted; give each node its own node-id.")]
    public static partial void NodeDisplaced(ILogger logger, string nodeId, string instance, int count);

    [LoggerMessage(EventId = 519, EventName = "CoordinatorFault", Level = LogLevel.Error,
        Message = "The cluster coordinator failed unexpectedly; it goes on with the next heartbeat.")]
    public static partial void CoordinatorFault(ILogger logger, Exception exception);
}
