using Microsoft.Extensions.Hosting;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// The lifetime of a side application (management listener, cluster internal listener): it lives and dies with
/// the gateway host and listens to no signal itself — the gateway's graceful shutdown decides when it stops.
/// </summary>
internal sealed class HostedByGatewayLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
