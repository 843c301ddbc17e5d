using ActorHost.EndToEnd;
using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Dashboard.Tests;

/// <summary>
/// The gateway hosted in the test process, configured exactly as the executable configures it (shipped
/// HOCON, sample workers, ephemeral loopback ports), plus the test's own service registrations — for what
/// cannot be faked from outside a child process (a cluster view without PostgreSQL).
/// </summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    private readonly GatewayApplication _app;
    private readonly string _directory;

    private InProcessGateway(GatewayApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        Client = new HttpClient { BaseAddress = new Uri(app.Addresses[0]), Timeout = TimeSpan.FromSeconds(30) };
        Management = new HttpClient { BaseAddress = new Uri(app.ManagementAddresses[0]), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public HttpClient Management { get; }

    public static async Task<InProcessGateway> StartAsync(Action<IServiceCollection> services)
    {
        string directory = Directory.CreateTempSubdirectory("actorhost-dashboard-").FullName;
        string file = Path.Combine(directory, "test.conf");
        await File.WriteAllTextAsync(file, """
            actorhost.gateway.urls = ["http://127.0.0.1:0"]
            actorhost.management.urls = ["http://127.0.0.1:0"]
            """);
        string shipped = Path.Combine(GatewayProcess.RepositoryRoot, "hocon");
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(shipped, [file], GatewayWorkers.Register);
        GatewayConfiguration configuration = result.Configuration
            ?? throw new InvalidOperationException("Invalid test configuration:\n" + string.Join("\n", result.Problems));
        GatewayStartup startup = RunCommand.Startup(configuration, urls: null);
        Action<IServiceCollection>? baseServices = startup.ConfigureServices;
        GatewayApplication app = GatewayApplication.Create(startup with
        {
            ConfigureServices = s =>
            {
                baseServices?.Invoke(s);
                services(s);
            },
            ConfigureLogging = logging => logging.ClearProviders(),
        });
        await app.StartAsync();
        return new InProcessGateway(app, directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management.Dispose();
        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _app.StopAsync(bound.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
