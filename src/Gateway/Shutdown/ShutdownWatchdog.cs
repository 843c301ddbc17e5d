using ActorHost.Gateway.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// The promise that a shutdown ends, whatever the workers do: once armed, it exits the process when the
/// whole budget (<see cref="ShutdownOptions.Budget"/>) has passed, logging Critical with the phase it was stuck in.
/// </summary>
internal sealed class ShutdownWatchdog(
    ShutdownOptions options,
    GatewayExitCode exitCode,
    IProcessExit processExit,
    TimeProvider timeProvider,
    ILogger log) : IDisposable
{
    private ITimer? _timer;
    private Func<ShutdownPhase>? _phase;

    /// <summary>Starts counting; <paramref name="phase"/> says where the shutdown is if the budget runs out.</summary>
    public void Arm(Func<ShutdownPhase> phase)
    {
        _phase = phase;
        _timer = timeProvider.CreateTimer(static state => ((ShutdownWatchdog)state!).Fire(), this, options.Budget, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer?.Dispose();

    private void Fire()
    {
        int code = exitCode.Value;
        string phase = (_phase?.Invoke() ?? ShutdownPhase.Running).Name();
        ShutdownLog.WatchdogFired(log, options.Budget.TotalMilliseconds, phase, code);
        processExit.Exit(code);
    }
}
