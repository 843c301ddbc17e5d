using ActorHost.Workers.Options;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Requests;

/// <summary>Maps one endpoint per configured route (template and methods from configuration).</summary>
internal static class RouteEndpoints
{
    public static void MapRoutes(IEndpointRouteBuilder endpoints, IEnumerable<RouteOptions> routes)
    {
        RouteRequestHandler handler = endpoints.ServiceProvider.GetRequiredService<RouteRequestHandler>();
        foreach (RouteOptions route in routes)
        {
            endpoints.MapMethods(route.Path, route.Methods, context => handler.HandleAsync(context, route))
                .WithDisplayName("route " + route.Name)
                .WithMetadata(route);
        }
    }
}
