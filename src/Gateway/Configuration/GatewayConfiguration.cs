using ActorHost.Cluster;
using ActorHost.Gateway.Shutdown;
using ActorHost.Hocon;
using ActorHost.Workers.Options;

namespace ActorHost.Gateway.Configuration;

/// <summary>The layered, resolved and validated configuration the gateway runs with.</summary>
/// <param name="Config">The whole configuration (reference + application + user files).</param>
/// <param name="Settings">The host's own settings.</param>
/// <param name="Workers">The worker runtime's options (routes, strategies, kernel, faults).</param>
/// <param name="Files">The files it was read from, lowest priority first (reference.conf first).</param>
/// <param name="Shutdown">The shutdown phases' budgets.</param>
/// <param name="Cluster">The cluster settings (<see cref="ClusterOptions.Enabled"/> false for a single node).</param>
/// <param name="AspNetConfiguration">The same configuration as ASP.NET Core reads it (<c>Logging</c>, <c>Kestrel</c> ...).</param>
internal sealed record GatewayConfiguration(
    Config Config,
    GatewaySettings Settings,
    WorkerRuntimeOptions Workers,
    IReadOnlyList<string> Files,
    ShutdownOptions Shutdown,
    ClusterOptions Cluster,
    Microsoft.Extensions.Configuration.IConfiguration AspNetConfiguration);
