using ActorHost.Cluster;
using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Forwarding;
using ActorHost.Gateway.Shutdown;
using ActorHost.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// What the gateway adds when <c>actorhost.cluster.enabled = on</c>: the cluster node (membership and shard
/// leases in PostgreSQL), the cluster-aware dispatch in front of the local runtime, the authenticated internal
/// listener other nodes forward to, and the leave phase of the shutdown.
/// </summary>
internal static class ClusterServices
{
    public static IServiceCollection AddActorHostCluster(this IServiceCollection services, ClusterOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(new ShardDispatchGate(options.NumberOfShards));
        services.AddSingleton(sp => new ShardEntityStopper(
            (IEntityControl)sp.GetRequiredService<IWorkerRuntime>(), sp.GetRequiredService<ShardDispatchGate>(), options.NumberOfShards));
        services.AddSingleton(sp => new ClusterNode(
            options, sp.GetRequiredService<ShardEntityStopper>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClusterView>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<IShardDirectory>(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton(sp =>
        {
            var runtime = new ClusterWorkerRuntime(
                sp.GetRequiredService<IWorkerRuntime>(), sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<ShardDispatchGate>(), options,
                sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>());
            runtime.Metrics = sp.GetRequiredService<ClusterMetrics>();
            return runtime;
        });
        services.AddSingleton(sp => new ClusterMetrics(
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ClusterNode>(), () => sp.GetRequiredService<ClusterWorkerRuntime>().Waiting));
        services.AddSingleton(sp => new ForwardVerifier(options, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClusterLeave, ClusterLeave>();
        services.AddHostedService<ClusterMembership>();
        services.AddSingleton<ClusterInternalServer>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterInternalServer>());
        return services;
    }
}
