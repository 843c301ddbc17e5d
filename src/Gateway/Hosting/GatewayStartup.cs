using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Shutdown;
using ActorHost.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>What a <see cref="GatewayApplication"/> is built from: validated settings and a way to make the runtime.</summary>
internal sealed record GatewayStartup
{
    /// <summary>The host's own settings, already validated.</summary>
    public required GatewaySettings Settings { get; init; }

    /// <summary>Creates the worker runtime (resolved once, when the host starts).</summary>
    public required Func<IServiceProvider, IWorkerRuntime> CreateRuntime { get; init; }

    /// <summary>The layered HOCON as <see cref="IConfiguration"/>, so ASP.NET's own settings (Logging, Kestrel) can live in it.</summary>
    public IConfiguration? Configuration { get; init; }

    /// <summary><c>actorhost.shutdown</c>, already validated; the defaults when null.</summary>
    public ShutdownOptions? Shutdown { get; init; }

    /// <summary><c>actorhost.cluster</c> when the cluster is on (validated); null for a single node.</summary>
    public ActorHost.Cluster.ClusterOptions? Cluster { get; init; }

    /// <summary>
    /// The process's stop-signal handlers when the caller registered them before building the gateway (the run command
    /// does, first thing); null: the gateway registers its own when its host starts.
    /// </summary>
    public StopSignals? Signals { get; init; }

    /// <summary><c>--urls</c>: replaces <c>actorhost.gateway.urls</c> when given.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Extra service registrations, applied last (tests replace the clock, the process exit, …).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Extra logging set-up, applied last (tests add a capturing provider).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
