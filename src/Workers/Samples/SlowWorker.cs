namespace ActorHost.Workers.Samples;

/// <summary>
/// <c>GET /slow?ms=N</c>: answers <c>{"ms":N}</c> after N milliseconds (0 to 600000), honouring the request's
/// cancellation while it waits; a missing or invalid <c>ms</c> is 400.
/// </summary>
public sealed class SlowWorker(SampleWorkerOptions options, TimeProvider? time = null) : SampleWorker(options)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public override async Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        long ms = QueryNumbers.Required(request, "ms", 0, 600_000);
        if (ms > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), _time, cancellationToken);
        }

        await response.WriteJsonAsync(new { ms }, cancellationToken);
    }
}
