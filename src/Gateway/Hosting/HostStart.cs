namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Tells when the host's start has finished, successfully or not. A stop signal can arrive while the hosted
/// services are still starting; the shutdown's phases wait for this, because stopping Kestrel before it has started
/// disposes parts of it that its start then uses anyway (its heartbeat thread dies and takes the process with it).
/// </summary>
internal sealed class HostStart
{
    private readonly TaskCompletionSource<bool> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the start has finished: true when the host started, false when its start failed.</summary>
    public Task<bool> Finished => _finished.Task;

    /// <summary>Records the end of the start; only the first call counts.</summary>
    public void MarkFinished(bool started) => _finished.TrySetResult(started);
}
