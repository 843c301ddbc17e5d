using ActorHost.Workers;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// A request another node forwarded here (already authenticated): what its headers said, the body that was
/// verified against the signature, and how to hand it to this node's runtime if — and only if — this node
/// still serves its shard.
/// </summary>
/// <param name="Origin">The sending node's id.</param>
/// <param name="RequestId">The original request id.</param>
/// <param name="RouteValues">The route values the sender matched.</param>
/// <param name="Body">The request body.</param>
/// <param name="NodeId">This node's id (reported back in the trailers).</param>
/// <param name="TryDispatch">Dispatches locally if this node serves the shard now; false otherwise (the answer is 421).</param>
internal sealed record ForwardedRequest(
    string Origin,
    string RequestId,
    IReadOnlyDictionary<string, string?> RouteValues,
    byte[] Body,
    string NodeId,
    Func<RequestEnvelope, bool> TryDispatch)
{
    /// <summary>How long the sender still waits for the answer (<c>ActorHost-Deadline</c>); null when it has no timeout.</summary>
    public TimeSpan? Deadline { get; init; }
}
