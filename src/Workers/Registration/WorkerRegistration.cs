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
        TakesServices = workerType.GetConstructors()
            .Any(c => c.GetParameters().Any(p => p.ParameterType != typeof(WorkerContext)));
    }

    /// <summary>
    /// True when a constructor takes anything but a <see cref="WorkerContext"/>: only then does an incarnation
    /// need a DI scope of its own (a worker that takes no services resolves nothing to release).
    /// </summary>
    internal bool TakesServices { get; }

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
