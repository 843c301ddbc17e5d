using ActorHost.Hocon;
using ActorHost.Workers.Samples;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the sample workers that <c>hocon/actorhost.conf</c> mounts.</summary>
public static class SampleWorkersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>echo</c>, <c>counter</c>, <c>slow</c>, <c>stream</c> and <c>partial</c>, with their options.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Sample options; see <see cref="SampleWorkerOptions"/> (null for the defaults).</param>
    public static IServiceCollection AddSampleWorkers(this IServiceCollection services, SampleWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(options ?? new SampleWorkerOptions());
        return services.AddActorHostWorkers(w => w
            .Add<EchoWorker>("echo")
            .Add<CounterWorker>("counter")
            .Add<SlowWorker>("slow")
            .Add<StreamWorker>("stream")
            .Add<PartialWorker>("partial"));
    }

    /// <summary>As <see cref="AddSampleWorkers(IServiceCollection, SampleWorkerOptions?)"/>, reading <c>actorhost.samples</c> from <paramref name="config"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="config">The resolved configuration.</param>
    public static IServiceCollection AddSampleWorkers(this IServiceCollection services, Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? directory = config.HasPath("actorhost.samples.stop-marker-dir") ? config.GetString("actorhost.samples.stop-marker-dir") : null;
        return services.AddSampleWorkers(new SampleWorkerOptions { StopMarkerDirectory = string.IsNullOrWhiteSpace(directory) ? null : directory });
    }
}
