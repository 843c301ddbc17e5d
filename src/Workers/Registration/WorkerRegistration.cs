using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Registration;

/// <summary>
/// One registered worker: its name (what <c>routes.&lt;name&gt;.worker</c> refers to), its type, and how an
/// instance is built. Instances are built through DI (<see cref="ActivatorUtilities"/>) once per
/// incarnation; the constructor may take services and a <see cref="WorkerContext"/>.
/// </summary>
public sealed class WorkerRegistration
{
    private readonly ObjectFactory _factory;
    private readonly bool _takesContext;

    internal WorkerRegistration(string name, Type workerType)
    {
        Name = name;
        WorkerType = workerType;
        // ActivatorUtilities only matches constructors that use every given argument, so the context is
        // passed only to workers that ask for it.
        _takesContext = workerType.GetConstructors()
            .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(WorkerContext)));
        _factory = ActivatorUtilities.CreateFactory(workerType, _takesContext ? [typeof(WorkerContext)] : []);
    }

    /// <summary>
    /// Whether an incarnation needs a DI scope of its own: true unless every service a constructor takes is a
    /// singleton (or an optional parameter nobody registered). A singleton belongs to the container whatever scope
    /// resolves it, so a worker that takes only singletons (the samples) resolves nothing to release, and a scope per
    /// idle entity would cost a few hundred bytes each. True until <see cref="DecideScope"/> has seen the services.
    /// </summary>
    internal bool NeedsScope { get; private set; } = true;

    /// <summary>Decides <see cref="NeedsScope"/> from the registered lifetimes of the constructors' parameters.</summary>
    /// <param name="services">The service collection the provider was built from.</param>
    internal void DecideScope(IServiceCollection services) =>
        NeedsScope = WorkerType.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Where(p => p.ParameterType != typeof(WorkerContext))
            .Any(p => !IsSingletonOrUnused(services, p));

    private static bool IsSingletonOrUnused(IServiceCollection services, System.Reflection.ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        // The last registration of a type is the one a single-service parameter gets.
        ServiceDescriptor? descriptor = services.LastOrDefault(d => !d.IsKeyedService && d.ServiceType == type)
            ?? (type.IsConstructedGenericType
                ? services.LastOrDefault(d => !d.IsKeyedService && d.ServiceType == type.GetGenericTypeDefinition())
                : null);
        return descriptor is null
            ? parameter.HasDefaultValue
            : descriptor.Lifetime == ServiceLifetime.Singleton;
    }

    /// <summary>The registered name.</summary>
    public string Name { get; }

    /// <summary>The worker class.</summary>
    public Type WorkerType { get; }

    /// <summary>Builds a fresh instance for one incarnation.</summary>
    /// <param name="services">Where constructor dependencies come from.</param>
    /// <param name="context">The incarnation's context.</param>
    public RequestWorker Create(IServiceProvider services, WorkerContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        var worker = (RequestWorker)_factory(services, _takesContext ? [context] : null);
        worker.Attach(context);
        return worker;
    }
}
