namespace ActorHost.Cluster.Forwarding;

/// <summary>
/// The protocol's rule for a response that the owner sends whole. When a handler finishes without flushing
/// and its body fits in <see cref="MaxBytes"/>, the owner sends status, headers (with <see cref="ForwardHeaders.Whole"/>
/// and, where the status allows a body, <c>Content-Length</c>), body and trailers together. A sender that sees the
/// mark holds the whole response until the trailers say how it ended, however long they take. So an owner lost in
/// between leaves nothing sent to the client, who gets a clean 503 rather than a body followed by a cut connection.
/// </summary>
public static class WholeResponse
{
    /// <summary>The largest body an owner holds back, and the least a sender holds.</summary>
    public const int MaxBytes = 64 * 1024;
}
