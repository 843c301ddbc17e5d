using ActorHost.Gateway.Shutdown;
using Microsoft.Extensions.Hosting;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// The host's lifetime: SIGTERM and SIGINT start the graceful shutdown (a repeated signal skips to mercy,
/// a third exits at once). It replaces ASP.NET's console lifetime, whose process-exit hook waits for the
/// host to be disposed and resets the exit code — which would keep a root escalation from exiting promptly
/// with its own code — and which would stop the host at once instead of running the shutdown phases.
/// The handlers themselves are <see cref="StopSignals"/>, which the run command may have registered long before
/// the host existed; a signal that arrived since then starts the shutdown here.
/// </summary>
internal sealed class GatewayLifetime(GracefulShutdown shutdown, StopSignals signals) : IHostLifetime, IDisposable
{
    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        signals.Listen();
        signals.Attach(shutdown);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => signals.Dispose();
}
