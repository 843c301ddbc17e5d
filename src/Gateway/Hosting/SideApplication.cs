using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// A small web application of its own beside the gateway (the management listener, the cluster's internal
/// listener): its own port(s), the gateway's log, no signal handling of its own. A separate application (not a
/// host filter on the gateway's) means no gateway route can shadow its endpoints and none of them is reachable on
/// the public port.
/// </summary>
internal sealed class SideApplication : IAsyncDisposable
{
    private WebApplication? _app;

    private SideApplication(WebApplication app, IReadOnlyList<string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The addresses it listens on (real ports).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Builds, maps and starts the application, then logs where it listens.</summary>
    /// <param name="name">Its name in the "listening on" log line.</param>
    /// <param name="urls">Where it binds.</param>
    /// <param name="loggerFactory">The gateway's logging.</param>
    /// <param name="configureKestrel">Kestrel settings beyond the defaults, or null.</param>
    /// <param name="mapAsync">Maps the endpoints (and prepares what they need) before the application starts.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<SideApplication> StartAsync(
        string name,
        IEnumerable<string> urls,
        ILoggerFactory loggerFactory,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? configureKestrel,
        Func<WebApplication, CancellationToken, Task> mapAsync,
        CancellationToken cancellationToken)
    {
        // It reads no settings of its own, so nothing is watched: by default a builder watches its content root
        // (the working directory) recursively for appsettings changes, which from a repository or from / meant a
        // watch on every directory below and a wake-up for every file written there (logs included).
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, HostedByGatewayLifetime>();
        builder.WebHost.UseUrls([.. urls]);
        if (configureKestrel is not null)
        {
            builder.WebHost.ConfigureKestrel(configureKestrel);
        }

        WebApplication app = builder.Build();
        await mapAsync(app, cancellationToken);
        await app.StartAsync(cancellationToken);
        IReadOnlyList<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        ILogger log = loggerFactory.CreateLogger(GatewayLog.Category);
        if (log.IsEnabled(LogLevel.Information))
        {
            string joined = string.Join(", ", addresses);
            GatewayLog.ListeningOn(log, name, joined);
        }

        return new SideApplication(app, addresses);
    }

    /// <summary>Stops listening (open requests get the host's shutdown timeout).</summary>
    /// <param name="cancellationToken">Cuts the stop short.</param>
    public Task StopAsync(CancellationToken cancellationToken) => _app?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
