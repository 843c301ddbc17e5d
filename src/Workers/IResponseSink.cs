namespace ActorHost.Workers;

/// <summary>
/// The real response a <see cref="ResponseChannel"/> writes to. The gateway implements it over
/// Kestrel's <c>HttpResponse</c>; the cluster implements it over a forwarded connection; tests implement
/// it in memory. Workers never see it.
/// </summary>
public interface IResponseSink
{
    /// <summary>
    /// Sends the status line and headers. Called once, before the first body byte, and always followed at once by a
    /// write, a flush or the completion, so a sink may hold them back until that call and send them with it.
    /// </summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="headers">Response headers set by the handler.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    /// <summary>Writes body bytes. Throws <see cref="IOException"/> (or a subtype) when the peer is gone.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Pushes buffered bytes to the peer.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Ends the response cleanly (the client sees a complete body).</summary>
    ValueTask CompleteAsync();

    /// <summary>
    /// Ends the response abruptly: the client sees a truncated response (HTTP/1.1 connection reset,
    /// HTTP/2 stream reset), never a clean end.
    /// </summary>
    void Abort();
}
