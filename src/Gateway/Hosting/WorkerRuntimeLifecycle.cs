using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Shutdown;
using ActorHost.Workers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Creates the worker runtime when the host starts and stops it after the listeners have stopped, so
/// requests still being served are not cut off by their workers going away first. After a graceful
/// shutdown the runtime is already stopped (its stop-workers phase) and this returns at once; it matters
/// when the host is stopped directly (tests, embedding).
/// </summary>
internal sealed class WorkerRuntimeLifecycle(IWorkerRuntime runtime, ShutdownOptions shutdown, ILoggerFactory loggerFactory) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runtime.StopAsync(shutdown.StopWorkers);
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            GatewayLog.RuntimeStopFailed(loggerFactory.CreateLogger(GatewayLog.Category), ex);
        }
    }
}
