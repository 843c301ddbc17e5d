using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// The management listener: a second, small web application on its own port(s), sharing the gateway's
/// services and log. A separate application (not a host filter on the gateway's) means no route of the
/// gateway can ever shadow <c>/ready</c>, and no management endpoint is reachable on the public port.
/// </summary>
internal sealed class ManagementServer(IServiceProvider gatewayServices, GatewaySettings settings, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private SideApplication? _app;

    /// <summary>Created with the server, i.e. before the gateway listens, so nothing early is missed.</summary>
    public ManagementViews Views { get; } = new(gatewayServices, settings);

    /// <summary>The addresses it listens on (real ports), once started.</summary>
    public IReadOnlyList<string> Addresses => _app?.Addresses ?? [];

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _app = await SideApplication.StartAsync("Management API", settings.Management.Urls, loggerFactory, configureKestrel: null,
            async (app, ct) =>
            {
                ManagementEndpoints.Map(app, gatewayServices, Views);
                await Views.Feeder.StartAsync(ct);
            },
            cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Open event streams end now, cleanly, with a last shutdown event (they never finish by themselves), so the
        // listener can stop promptly and a client can tell a stop from a broken connection.
        Views.Connections.EndAll();
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }

        await Views.DisposeAsync();
    }
}
