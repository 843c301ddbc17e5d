using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// Runs the cluster node for the host's lifetime. Joining happens in the background (readiness stays
/// failing until the node is up, and entity requests wait for owners meanwhile), so an unreachable
/// database at start delays serving instead of failing the process. A database whose cluster contradicts
/// this node's configuration (another number of shards) is a configuration error: exit 78.
/// </summary>
internal sealed partial class ClusterMembership(
    ClusterNode node,
    ClusterInternalServer internalServer,
    GatewayExitCode exitCode,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _log = loggerFactory.CreateLogger("ActorHost.Cluster");
    private Task? _joining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _joining = JoinAsync();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_joining is not null)
        {
            await _joining;
        }

        // After a graceful leave this only closes connections; after anything else (an escalation exit) the
        // leases simply expire, as after a crash.
        await node.DisposeAsync();
    }

    public void Dispose() => _stopping.Dispose();

    private async Task JoinAsync()
    {
        try
        {
            // The internal listener binds first: with advertise-url port 0 its real port is what gets advertised.
            Uri advertised = await internalServer.AdvertisedUrl.WaitAsync(_stopping.Token);
            await node.StartAsync(advertised, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped before joining.
        }
        catch (ClusterConfigurationException ex)
        {
            ConfigurationRejected(_log, ex, ex.Message);
            exitCode.Set(GatewayExitCode.BadConfiguration);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 590, EventName = "ClusterConfigurationRejected", Level = LogLevel.Critical,
        Message = "The cluster in the database does not match this node's configuration: {Reason}. Exiting with 78.")]
    private static partial void ConfigurationRejected(ILogger logger, Exception error, string reason);
}
