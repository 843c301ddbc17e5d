using ActorHost.Gateway.Cluster;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Logging;
using ActorHost.Gateway.Management;
using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Telemetry;
using ActorHost.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// The gateway process: Kestrel serving one endpoint per route, the management listener beside it, the
/// worker runtime behind them, and the watcher that turns a root escalation into the process exit code.
/// Program.cs and the tests both build it from a <see cref="GatewayStartup"/>.
/// </summary>
internal sealed class GatewayApplication : IAsyncDisposable
{
    private GatewayApplication(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The gateway's listen addresses (with real ports once started).</summary>
    public IReadOnlyList<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>The management listener's addresses (with real ports once started).</summary>
    public IReadOnlyList<string> ManagementAddresses => Services.GetRequiredService<ManagementServer>().Addresses;

    public static GatewayApplication Create(GatewayStartup startup)
    {
        ArgumentNullException.ThrowIfNull(startup);
        GatewaySettings settings = startup.Settings;
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });

        if (startup.Configuration is not null)
        {
            // First, so appsettings, environment variables and the command line still override the files.
            ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new ChainedConfigurationSource
            {
                Configuration = startup.Configuration,
                ShouldDisposeConfiguration = false,
            });
        }

        ConfigureLogging(builder, settings);
        builder.WebHost.UseUrls([.. startup.Urls ?? settings.Gateway.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
        });

        IServiceCollection services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<GatewayExitCode>();
        services.AddSingleton<GatewayReadiness>();
        services.AddSingleton<HostStart>();
        services.AddSingleton<InFlightRequests>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<RouteRequestHandler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IProcessExit, EnvironmentProcessExit>();
        services.AddSingleton(startup.Signals ?? new StopSignals());
        services.AddSingleton<IHostLifetime, GatewayLifetime>();
        ShutdownOptions shutdown = startup.Shutdown ?? new ShutdownOptions();

        // The leave phase exists only in a cluster; a single node's budget must not count it.
        services.AddSingleton(startup.Cluster is null ? shutdown with { Leave = TimeSpan.Zero } : shutdown);
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<IShutdownHandle>(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddListenerGate();

        // The graceful shutdown has already drained everything when it asks the host to stop; what is left
        // (closing the listeners, disposing) is short. The watchdog bounds the whole of it anyway.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownOptions.ExitMargin);
        services.AddSingleton(startup.CreateRuntime);
        services.AddHostedService<WorkerRuntimeLifecycle>();
        services.AddHostedService<RootEscalationWatcher>();
        services.AddSingleton<ManagementServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        if (startup.Cluster is { } cluster)
        {
            services.AddActorHostCluster(cluster);
        }

        if (settings.Otlp.Enabled)
        {
            services.AddSingleton(_ => new OtlpExport(settings.Otlp));
        }

        startup.ConfigureServices?.Invoke(services);
        startup.ConfigureLogging?.Invoke(builder.Logging);

        WebApplication app = builder.Build();
        UnroutedRequests.Use(app);
        RouteEndpoints.MapRoutes(app, app.Services.GetRequiredService<IWorkerRuntime>().Routes.Values);
        return new GatewayApplication(app);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // Created before anything listens, so the first request is already traced and measured.
        _ = Services.GetService<OtlpExport>();
        GatewayReadiness readiness = Services.GetRequiredService<GatewayReadiness>();
        App.Lifetime.ApplicationStopping.Register(() => readiness.MarkNotReady("stopping"));
        HostStart start = Services.GetRequiredService<HostStart>();
        bool started = false;
        try
        {
            await App.StartAsync(cancellationToken);
            started = true;
        }
        finally
        {
            // Lets a shutdown that began during the start run its phases now, on a host that is up (or failed).
            start.MarkFinished(started);
        }

        readiness.MarkReady();
        ILogger log = Services.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayLog.Category);
        if (log.IsEnabled(LogLevel.Information))
        {
            string addresses = string.Join(", ", Addresses);
            GatewayLog.ListeningOn(log, "Gateway", addresses);
        }
    }

    /// <summary>Waits until the host has stopped (signal, escalation with <c>shutdown</c>, …) and returns the exit code.</summary>
    public async Task<int> WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        await App.WaitForShutdownAsync(cancellationToken);
        return Services.GetRequiredService<GatewayExitCode>().Value;
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => App.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => App.DisposeAsync();

    internal static void ConfigureLogging(WebApplicationBuilder builder, GatewaySettings settings)
    {
        builder.Logging.SetMinimumLevel(settings.Logging.Level);

        // ASP.NET Core's hosting starts an activity and a log scope for every request as soon as its category is
        // enabled at any level, to feed its own request lines. The gateway writes its own request-finished line and
        // span (which continues the caller's trace itself), so that category is off unless a configuration names it:
        // the lowest-priority source, so any HOCON file, appsettings or environment variable overrides it.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new($"Logging:LogLevel:{GatewayTracing.HostingDiagnosticsCategory}", nameof(LogLevel.None))],
        });

        // ASP.NET's formatters and options stay (AddConsole registered them); its console logger gives way to
        // the batched one, which writes lines in batches instead of waking a thread for each.
        foreach (ServiceDescriptor console in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            builder.Services.Remove(console);
        }

        builder.Services.AddSingleton<ILoggerProvider, BatchedConsoleLoggerProvider>();
        if (settings.Logging.Format == LogFormat.Json)
        {
            // Only when asked for: `Logging:Console:FormatterName = json` keeps working on its own.
            builder.Services.Configure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
        }
    }
}
