using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Workers.Registration;

/// <summary>Collects worker registrations: <c>w.Add&lt;CounterWorker&gt;("counter")</c>.</summary>
public sealed class WorkerRegistryBuilder
{
    private readonly Dictionary<string, WorkerRegistration> _workers = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="TWorker"/> under <paramref name="name"/>.</summary>
    /// <typeparam name="TWorker">The worker class (built through DI per incarnation).</typeparam>
    /// <param name="name">The name routes refer to (<c>worker = name</c>).</param>
    /// <exception cref="ArgumentException">The name is empty, contains whitespace, or is already registered.</exception>
    public WorkerRegistryBuilder Add<TWorker>(string name)
        where TWorker : RequestWorker
        => Add(name, typeof(TWorker));

    /// <summary>Registers <paramref name="workerType"/> under <paramref name="name"/>.</summary>
    /// <param name="name">The name routes refer to.</param>
    /// <param name="workerType">A concrete subclass of <see cref="RequestWorker"/>.</param>
    /// <exception cref="ArgumentException">Bad name, duplicate name, or not a concrete worker class.</exception>
    public WorkerRegistryBuilder Add(string name, Type workerType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(workerType);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Worker name \"{name}\" must not contain whitespace.", nameof(name));
        }

        if (!typeof(RequestWorker).IsAssignableFrom(workerType) || workerType.IsAbstract || workerType.IsGenericTypeDefinition)
        {
            throw new ArgumentException($"Worker \"{name}\": {workerType.FullName} is not a concrete subclass of {nameof(RequestWorker)}.", nameof(workerType));
        }

        if (_workers.TryGetValue(name, out WorkerRegistration? existing))
        {
            throw new ArgumentException($"Worker name \"{name}\" is already registered (to {existing.WorkerType.FullName}).", nameof(name));
        }

        _workers.Add(name, new WorkerRegistration(name, workerType));
        return this;
    }

    internal WorkerRegistry Build(IServiceCollection services)
    {
        foreach (WorkerRegistration registration in _workers.Values)
        {
            registration.DecideScope(services);
        }

        return new(_workers.Values);
    }
}
