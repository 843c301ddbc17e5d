using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>A real gateway (Kestrel on 127.0.0.1, ephemeral ports) over a given runtime, with its log captured.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private TestGateway(GatewayApplication app, LogCapture logs, RecordingProcessExit exit)
    {
        App = app;
        Logs = logs;
        Exit = exit;
        BaseAddress = new Uri(app.Addresses[0]);
        ManagementAddress = new Uri(app.ManagementAddresses[0]);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayApplication App { get; }

    public LogCapture Logs { get; }

    public RecordingProcessExit Exit { get; }

    public Uri BaseAddress { get; }

    public Uri ManagementAddress { get; }

    public HttpClient Client { get; }

    public HttpClient Management { get; }

    public static GatewaySettings LocalSettings(GatewaySettings? settings = null)
    {
        settings ??= new GatewaySettings();
        return settings with
        {
            Gateway = settings.Gateway with { Urls = ["http://127.0.0.1:0"] },
            Management = settings.Management with { Urls = ["http://127.0.0.1:0"] },
        };
    }

    public static Task<TestGateway> StartAsync(IWorkerRuntime runtime, GatewaySettings? settings = null) =>
        StartAsync(_ => runtime, settings);

    public static async Task<TestGateway> StartAsync(
        Func<IServiceProvider, IWorkerRuntime> runtime,
        GatewaySettings? settings = null,
        Action<IServiceCollection>? services = null,
        IConfiguration? configuration = null)
    {
        var logs = new LogCapture();
        var exit = new RecordingProcessExit();
        GatewayApplication app = GatewayApplication.Create(new GatewayStartup
        {
            Settings = LocalSettings(settings),
            CreateRuntime = runtime,
            Configuration = configuration,
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            },
            ConfigureServices = s =>
            {
                s.RemoveAll<IProcessExit>();
                s.AddSingleton<IProcessExit>(exit);
                services?.Invoke(s);
            },
        });
        await app.StartAsync();
        return new TestGateway(app, logs, exit);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        try
        {
            await App.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }
}
