using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Shutdown;

/// <summary>Puts a <see cref="ListenerGate"/> in front of the transport Kestrel registered.</summary>
internal static class ListenerGateRegistration
{
    public static IServiceCollection AddListenerGate(this IServiceCollection services)
    {
        ServiceDescriptor transport = services.LastOrDefault(d => d.ServiceType == typeof(IConnectionListenerFactory) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No Kestrel transport (IConnectionListenerFactory) is registered; the listener gate has nothing to wrap.");
        services.Remove(transport);
        services.AddSingleton(sp => new ListenerGate(Create(sp, transport)));
        services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<ListenerGate>());
        return services;
    }

    private static IConnectionListenerFactory Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IConnectionListenerFactory)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
