using ActorHost.Hocon;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// The workers the executable offers to routes: the samples that <c>hocon/actorhost.conf</c> mounts. An
/// application with its own workers registers them here (or in its own host built on the same pieces).
/// </summary>
internal static class GatewayWorkers
{
    public static void Register(IServiceCollection services, Config config) => services.AddSampleWorkers(config);
}
