using Microsoft.AspNetCore.Routing;

namespace ActorHost.Gateway.Management;

/// <summary><c>POST /faults</c> and <c>DELETE /faults</c>: add and clear fault-injection rules at run time.</summary>
internal static class FaultRuleEndpoints
{
    public static void Map(RouteGroupBuilder group, IServiceProvider gatewayServices)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(gatewayServices);
        // Filled in once the Workers fault injector API lands.
    }
}
