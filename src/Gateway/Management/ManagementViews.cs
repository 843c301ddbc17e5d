using System.Diagnostics.Metrics;
using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Management.Cluster;
using ActorHost.Gateway.Management.Events;
using ActorHost.Gateway.Management.Metrics;
using ActorHost.Gateway.Management.Stats;
using ActorHost.Gateway.Management.Workers;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// The read models behind the management API and the dashboard, built once per gateway from its services:
/// the event ring and its feeders, the worker ledger, request statistics, the meter aggregator and, in a
/// cluster, this node's <see cref="IClusterView"/>. Created with the <see cref="ManagementServer"/> (before
/// the gateway listens), so the first request is counted and early supervision and cluster events are kept.
/// </summary>
internal sealed class ManagementViews : IAsyncDisposable
{
    public ManagementViews(IServiceProvider gatewayServices, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(gatewayServices);
        ArgumentNullException.ThrowIfNull(settings);
        TimeProvider time = gatewayServices.GetService<TimeProvider>() ?? TimeProvider.System;
        IWorkerRuntime runtime = gatewayServices.GetRequiredService<IWorkerRuntime>();
        Ring = new EventRing(settings.Management.EventsBuffer);
        Ledger = new WorkerLedger();
        Statistics = new RequestStatistics(time, settings.Management.StatsWindow);
        Meters = new MeterAggregator(gatewayServices.GetRequiredService<IMeterFactory>(), Statistics);
        Tree = new WorkerTreeReader(runtime, Ledger, Ring, gatewayServices.GetService<WorkerRuntimeOptions>());
        Feeder = new EventRingFeeder(runtime, Ring, Ledger, Statistics, time, gatewayServices.GetRequiredService<ILoggerFactory>());
        Connections = new EventStreamConnections();

        // Registered only when actorhost.cluster.enabled = on; absent, the cluster endpoints say it is off.
        Cluster = gatewayServices.GetService<IClusterView>();
        ClusterFeeder = Cluster is null ? null : new ClusterEventFeeder(Cluster, Ring, time, gatewayServices.GetRequiredService<ILoggerFactory>());
    }

    public EventRing Ring { get; }

    public WorkerLedger Ledger { get; }

    public RequestStatistics Statistics { get; }

    public MeterAggregator Meters { get; }

    public WorkerTreeReader Tree { get; }

    public EventRingFeeder Feeder { get; }

    /// <summary>This node's view of the cluster; null when the cluster is off.</summary>
    public IClusterView? Cluster { get; }

    /// <summary>Feeds cluster events into <see cref="Ring"/>; null when the cluster is off.</summary>
    public ClusterEventFeeder? ClusterFeeder { get; }

    /// <summary>The open <c>/events</c> connections (so they can be dropped on purpose).</summary>
    public EventStreamConnections Connections { get; }

    public async ValueTask DisposeAsync()
    {
        ClusterFeeder?.Dispose();
        await Feeder.StopAsync(CancellationToken.None);
        Feeder.Dispose();
        Meters.Dispose();
        Connections.Dispose();
    }
}
