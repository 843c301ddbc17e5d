using System.Diagnostics.CodeAnalysis;

namespace ActorHost.Workers.Registration;

/// <summary>
/// The registered workers by name. Built by <see cref="Microsoft.Extensions.DependencyInjection.WorkerServiceCollectionExtensions.AddActorHostWorkers"/>;
/// the runtime builds workers from it and configuration validation checks route <c>worker</c> names against it.
/// </summary>
public sealed class WorkerRegistry
{
    private readonly Dictionary<string, WorkerRegistration> _workers;

    internal WorkerRegistry(IEnumerable<WorkerRegistration> workers) =>
        _workers = workers.ToDictionary(w => w.Name, StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _workers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Finds a registration by name (case-sensitive).</summary>
    /// <param name="name">The worker name.</param>
    /// <param name="registration">The registration, when found.</param>
    public bool TryGet(string name, [NotNullWhen(true)] out WorkerRegistration? registration) =>
        _workers.TryGetValue(name, out registration);
}
