using ActorHost.Workers.Registration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers request workers with the service collection.</summary>
public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// Registers workers by name, e.g. <c>services.AddActorHostWorkers(w =&gt; w.Add&lt;CounterWorker&gt;("counter"))</c>.
    /// May be called several times; the registrations accumulate into one <see cref="WorkerRegistry"/> singleton.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds the workers.</param>
    /// <exception cref="ArgumentException">A name is invalid or registered twice.</exception>
    public static IServiceCollection AddActorHostWorkers(this IServiceCollection services, Action<WorkerRegistryBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        WorkerRegistryBuilder? builder = services
            .Where(d => d.ServiceType == typeof(WorkerRegistryBuilder))
            .Select(d => d.ImplementationInstance)
            .OfType<WorkerRegistryBuilder>()
            .FirstOrDefault();
        if (builder is null)
        {
            builder = new WorkerRegistryBuilder();
            services.AddSingleton(builder);
            // The collection is complete once the provider exists: the registry reads the workers' service lifetimes from it.
            services.AddSingleton(sp => sp.GetRequiredService<WorkerRegistryBuilder>().Build(services));
        }

        configure(builder);
        return services;
    }
}
