using ActorHost.Gateway.Requests;
using ActorHost.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Creates the worker runtime when the host starts and stops it after the listeners have stopped, so
/// requests still being served are not cut off by their workers going away first.
/// </summary>
internal sealed class WorkerRuntimeLifecycle(IWorkerRuntime runtime, ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    /// <summary>Upper bound for stopping every route (issue 5 turns this into configured phases).</summary>
    internal static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runtime.StopAsync(StopBound);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            GatewayLog.RuntimeStopFailed(loggerFactory.CreateLogger(GatewayLog.Category), ex);
        }
    }
}
