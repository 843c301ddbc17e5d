using System.Globalization;

namespace ActorHost.Workers.Samples;

/// <summary>
/// <c>GET /stream?count=N&amp;interval-ms=M</c>: server-sent events, one <c>tick</c> event every M ms (default
/// 1000), N of them or endless without <c>count</c>. When shutdown begins it sends a final
/// <c>event: shutdown</c> and ends the stream cleanly; the request token (client gone, end of grace) cuts it.
/// </summary>
public sealed class StreamWorker(SampleWorkerOptions options, TimeProvider? time = null) : SampleWorker(options)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        long? count = QueryNumbers.Optional(request, "count", 0, long.MaxValue);
        long intervalMs = QueryNumbers.Optional(request, "interval-ms", 0, 3_600_000) ?? 1000;

        response.ContentType = "text/event-stream";
        response.SetHeader("Cache-Control", "no-cache");
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(request.ShutdownToken, Context.ShutdownToken);

        for (long n = 1; count is null || n <= count; n++)
        {
            if (shutdown.IsCancellationRequested)
            {
                break;
            }

            await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {n}\nevent: tick\ndata: {{\"n\":{n}}}\n\n"), cancellationToken);
            await response.FlushAsync(cancellationToken);
            if ((count is null || n < count) && !await WaitAsync(intervalMs, shutdown.Token, cancellationToken))
            {
                break;
            }
        }

        if (shutdown.IsCancellationRequested)
        {
            await response.WriteAsync("event: shutdown\ndata: {}\n\n", cancellationToken);
            await response.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Waits the interval; false when shutdown began meanwhile. The request token still throws.</summary>
    private async Task<bool> WaitAsync(long intervalMs, CancellationToken shutdown, CancellationToken cancellationToken)
    {
        if (intervalMs == 0)
        {
            return !shutdown.IsCancellationRequested;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(shutdown, cancellationToken);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(intervalMs), _time, either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
