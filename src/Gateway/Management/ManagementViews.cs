using System.Diagnostics.Metrics;
using ActorHost.Gateway.Configuration;
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
/// the event ring and its feeder, the worker ledger, request statistics and the meter aggregator. Created
/// with the <see cref="ManagementServer"/> (before the gateway listens), so the first request is counted and
/// early supervision events are kept.
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
    }

    public EventRing Ring { get; }

    public WorkerLedger Ledger { get; }

    public RequestStatistics Statistics { get; }

    public MeterAggregator Meters { get; }

    public WorkerTreeReader Tree { get; }

    public EventRingFeeder Feeder { get; }

    /// <summary>The open <c>/events</c> connections (so they can be dropped on purpose).</summary>
    public EventStreamConnections Connections { get; }

    public async ValueTask DisposeAsync()
    {
        await Feeder.StopAsync(CancellationToken.None);
        Feeder.Dispose();
        Meters.Dispose();
    }
}
