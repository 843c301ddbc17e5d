namespace ActorHost.Workers.Samples;

/// <summary>
/// <c>GET /partial?bytes=N</c>: sends 200 and N bytes (default 1024, flushed), then throws — the
/// failed-after-start case: the client must see a truncated response, never a clean end.
/// </summary>
public sealed class PartialWorker(SampleWorkerOptions options) : SampleWorker(options)
{
    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        long bytes = QueryNumbers.Optional(request, "bytes", 0, 16 << 20) ?? 1024;
        response.ContentType = "application/octet-stream";
        byte[] chunk = new byte[Math.Min(bytes, 64 * 1024)];
        Array.Fill(chunk, (byte)'x');
        for (long left = bytes; left > 0; left -= chunk.Length)
        {
            await response.WriteAsync(chunk.AsMemory(0, (int)Math.Min(left, chunk.Length)), cancellationToken);
        }

        await response.FlushAsync(cancellationToken);
        throw new InvalidOperationException($"The partial worker fails on purpose after sending {bytes} bytes.");
    }
}
