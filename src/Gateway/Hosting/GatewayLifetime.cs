using System.Runtime.InteropServices;
using ActorHost.Gateway.Shutdown;
using Microsoft.Extensions.Hosting;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// The host's lifetime: SIGTERM and SIGINT start the graceful shutdown (a repeated signal skips to mercy,
/// a third exits at once). It replaces ASP.NET's console lifetime, whose process-exit hook waits for the
/// host to be disposed and resets the exit code — which would keep a root escalation from exiting promptly
/// with its own code — and which would stop the host at once instead of running the shutdown phases.
/// </summary>
internal sealed class GatewayLifetime(GracefulShutdown shutdown) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _signals = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (PosixSignalRegistration signal in _signals)
        {
            signal.Dispose();
        }

        _signals.Clear();
    }

    private void OnStopSignal(PosixSignalContext context)
    {
        // Keep the runtime's default (terminate now) from happening: the host stops in order instead.
        context.Cancel = true;
        (string name, int number) = context.Signal == PosixSignal.SIGINT ? ("SIGINT", 2) : ("SIGTERM", 15);
        shutdown.OnSignal(name, number);
    }
}
