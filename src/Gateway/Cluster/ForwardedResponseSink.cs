using ActorHost.Gateway.Requests;
using ActorHost.Workers;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// The response sink of a forwarded request: like the normal one, except that it never ends the HTTP/2
/// stream itself. Completing and cutting off are decided by the node that received the client's request,
/// from the outcome this node sends in the trailers — so a clean end only records itself here, and a cut-off
/// becomes "end the stream, trailers say failed", which the sender turns into the real abort of its client.
/// </summary>
internal sealed class ForwardedResponseSink(HttpResponseSink inner) : IResponseSink
{
    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        // The ActorHost-* names are the protocol's: a worker's header of that name must not pose as the
        // owner's verdict or identity on the sending node.
        List<KeyValuePair<string, string>> kept = [.. headers.Where(h => !h.Key.StartsWith("ActorHost-", StringComparison.OrdinalIgnoreCase))];
        return inner.StartAsync(statusCode, kept, cancellationToken);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.WriteAsync(data, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public ValueTask CompleteAsync() => inner.FlushAsync(CancellationToken.None);

    public void Abort()
    {
        // The trailers carry the abort to the sender; resetting the stream here would lose them.
    }
}
