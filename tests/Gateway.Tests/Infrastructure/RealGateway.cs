using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using ActorHost.Hocon;
using ActorHost.Workers.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>
/// The real thing in-process: the repository's reference.conf + actorhost.conf + the test's HOCON, the real
/// worker runtime with the sample workers (and the test's <see cref="GateWorker"/> as <c>gate</c>), real
/// Kestrel on ephemeral loopback ports, the log captured.
/// </summary>
internal sealed class RealGateway : IAsyncDisposable
{
    private const string LocalListeners = """
        actorhost.gateway.urls = ["http://127.0.0.1:0"]
        actorhost.management.urls = ["http://127.0.0.1:0"]
        """;

    private readonly string _directory;

    private RealGateway(TestGatewayParts parts, string directory)
    {
        App = parts.App;
        Logs = parts.Logs;
        Exit = parts.Exit;
        Gates = parts.Gates;
        _directory = directory;
        BaseAddress = new Uri(App.Addresses[0]);
        ManagementAddress = new Uri(App.ManagementAddresses[0]);
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayApplication App { get; }

    public LogCapture Logs { get; }

    public RecordingProcessExit Exit { get; }

    public Gates Gates { get; }

    public Uri BaseAddress { get; }

    public Uri ManagementAddress { get; }

    public HttpClient Client { get; }

    public HttpClient Management { get; }

    public WorkerRuntime Runtime => (WorkerRuntime)App.Services.GetRequiredService<Workers.IWorkerRuntime>();

    /// <summary>Starts a gateway with <paramref name="hocon"/> layered over the shipped files (and then <paramref name="files"/>).</summary>
    public static Task<RealGateway> StartAsync(string hocon = "", params string[] files) => StartAsync(clock: null, hocon, files);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with every timer of the gateway and its runtime on <paramref name="clock"/> (request timeouts included).</summary>
    public static async Task<RealGateway> StartAsync(TimeProvider? clock, string hocon, params string[] files)
    {
        string directory = Directory.CreateTempSubdirectory("actorhost-test-").FullName;
        string testFile = Path.Combine(directory, "test.conf");
        await File.WriteAllTextAsync(testFile, hocon + "\n" + LocalListeners + "\n");
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [.. files, testFile], RegisterWorkers);
        if (result.Configuration is null)
        {
            throw new InvalidOperationException("Invalid test configuration:\n" + string.Join("\n", result.Problems));
        }

        var logs = new LogCapture();
        var exit = new RecordingProcessExit();
        var gates = new Gates();
        GatewayStartup startup = RunCommand.Startup(result.Configuration, urls: null);
        Action<IServiceCollection>? baseServices = startup.ConfigureServices;
        GatewayApplication app = GatewayApplication.Create(startup with
        {
            // As RunCommand does: the test's actorhost.shutdown applies.
            Shutdown = result.Configuration.Shutdown,
            ConfigureServices = services =>
            {
                baseServices?.Invoke(services);
                services.AddActorHostWorkers(w => w.Add<GateWorker>("gate"));
                services.AddSingleton(gates);
                services.RemoveAll<IProcessExit>();
                services.AddSingleton<IProcessExit>(exit);
                if (clock is not null)
                {
                    services.AddSingleton(clock);
                }
            },
            ConfigureLogging = logging =>
            {
                logging.ClearProviders();
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            },
        });
        await app.StartAsync();
        return new RealGateway(new TestGatewayParts(app, logs, exit, gates), directory);
    }

    /// <summary>The worker registrations a test configuration may name: the samples plus <c>gate</c>.</summary>
    public static void RegisterWorkers(IServiceCollection services, Config config)
    {
        GatewayWorkers.Register(services, config);
        services.AddActorHostWorkers(w => w.Add<GateWorker>("gate"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        foreach (string gate in new[] { "g", "a", "b", "c" })
        {
            Gates.Release(gate);
        }

        try
        {
            using var stopBound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await App.StopAsync(stopBound.Token);
        }
        finally
        {
            await App.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed record TestGatewayParts(GatewayApplication App, LogCapture Logs, RecordingProcessExit Exit, Gates Gates);
}
