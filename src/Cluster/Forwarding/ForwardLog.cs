using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Forwarding;

/// <summary>Log lines of node-to-node forwarding (category <c>ActorHost.Cluster.Forwarding</c>, EventIds 600–649).</summary>
internal static partial class ForwardLog
{
    public const string Category = "ActorHost.Cluster.Forwarding";

    [LoggerMessage(EventId = 600, EventName = "ForwardRefused", Level = LogLevel.Warning,
        Message = "Refused an internal request ({Reason}): {Method} {Target} claiming origin {Origin} from {Remote}")]
    public static partial void Refused(ILogger logger, string reason, string method, string target, string? origin, string? remote);

    [LoggerMessage(EventId = 601, EventName = "OwnerUnreachable", Level = LogLevel.Warning,
        Message = "Shard {Shard} owner {Owner} at {Address} is unreachable ({Error}); waiting for a new owner")]
    public static partial void OwnerUnreachable(ILogger logger, int shard, string? owner, Uri? address, string error);

    [LoggerMessage(EventId = 602, EventName = "Misdirected", Level = LogLevel.Debug,
        Message = "Node {Owner} no longer owns shard {Shard} (421); refreshed the route and retrying once")]
    public static partial void Misdirected(ILogger logger, string? owner, int shard);

    [LoggerMessage(EventId = 603, EventName = "OwnerLost", Level = LogLevel.Warning,
        Message = "Lost the connection to {Owner} while it served {Method} {Path} (shard {Shard}); response started: {Started}")]
    public static partial void OwnerLost(ILogger logger, Exception error, string? owner, string method, string path, int shard, bool started);

    [LoggerMessage(EventId = 605, EventName = "ForwardRejectedByOwner", Level = LogLevel.Error,
        Message = "Node {Owner} refused a forwarded {Method} {Path} with {Status}: the nodes' secrets, routes, limits or clocks disagree")]
    public static partial void Refusal(ILogger logger, int status, string? owner, string method, string path);

    [LoggerMessage(EventId = 606, EventName = "HeldWhole", Level = LogLevel.Trace,
        Message = "Holding a whole response of {Bytes} bytes from {Owner} until its trailers say how it ended")]
    public static partial void HeldWhole(ILogger logger, int bytes, string? owner);

    [LoggerMessage(EventId = 607, EventName = "ReplayGuardFull", Level = LogLevel.Error,
        Message = "Refused an internal request (replay-guard-full): this node already remembers {Capacity} nonces accepted within the replay window ({Window}); {Method} {Target} claiming origin {Origin} from {Remote}")]
    public static partial void ReplayGuardFull(ILogger logger, int capacity, TimeSpan window, string method, string target, string? origin, string? remote);

    [LoggerMessage(EventId = 604, EventName = "HandoffBufferFull", Level = LogLevel.Warning,
        Message = "{Waiting} requests already wait for shard owners (handoff-buffer); answering 503 for {Method} {Path}")]
    public static partial void BufferFull(ILogger logger, int waiting, string method, string path);
}
