using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
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
    private WebApplication? _app;

    /// <summary>Created with the server, i.e. before the gateway listens, so nothing early is missed.</summary>
    public ManagementViews Views { get; } = new(gatewayServices, settings);

    /// <summary>The addresses it listens on (real ports), once started.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, HostedByGatewayLifetime>();
        builder.WebHost.UseUrls([.. settings.Management.Urls]);
        _app = builder.Build();
        ManagementEndpoints.Map(_app, gatewayServices, Views);
        await Views.Feeder.StartAsync(cancellationToken);
        await _app.StartAsync(cancellationToken);
        Addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        ILogger log = loggerFactory.CreateLogger(GatewayLog.Category);
        if (log.IsEnabled(LogLevel.Information))
        {
            string addresses = string.Join(", ", Addresses);
            GatewayLog.ListeningOn(log, "Management API", addresses);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Open event streams end now (they never finish by themselves), so the listener can stop promptly.
        Views.Connections.DropAll();
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
