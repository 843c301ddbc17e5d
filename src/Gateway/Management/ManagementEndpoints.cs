using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Dashboard;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Management.Cluster;
using ActorHost.Gateway.Requests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>
/// The management API on its own listener. Read-only endpoints are open (the listener is loopback by
/// default); mutating ones sit in the <see cref="Protected"/> group behind the bearer token.
/// </summary>
internal static class ManagementEndpoints
{
    public static void Map(WebApplication app, IServiceProvider gatewayServices, ManagementViews views)
    {
        ArgumentNullException.ThrowIfNull(views);
        GatewayReadiness readiness = gatewayServices.GetRequiredService<GatewayReadiness>();
        GatewaySettings settings = gatewayServices.GetRequiredService<GatewaySettings>();
        ILogger log = gatewayServices.GetRequiredService<ILoggerFactory>().CreateLogger(GatewayLog.Category);

        app.MapGet("/alive", () => Results.Json(new { status = "alive" }));
        app.MapGet("/ready", () => readiness.NotReadyReason is { } reason
            ? Results.Json(new { status = "not-ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : readiness.DegradedReason is { } degraded
                ? Results.Json(new { status = "ready", degraded })
                : Results.Json(new { status = "ready" }));

        TimeProvider time = gatewayServices.GetService<TimeProvider>() ?? TimeProvider.System;
        ObservationEndpoints.Map(app, views, time, log);
        ClusterEndpoints.Map(app, views.Cluster);
        DashboardEndpoints.Map(app);

        // The guard runs after routing has chosen the endpoint and before the endpoint binds anything.
        var guard = new BearerTokenGuard(settings.Management.Token, log);
        app.Use(guard.InvokeAsync);
        RouteGroupBuilder protectedGroup = app.MapGroup("").WithMetadata(ManagementTokenRequired.Instance);
        foreach (Action<RouteGroupBuilder, IServiceProvider> map in Protected)
        {
            map(protectedGroup, gatewayServices);
        }

        ObservationEndpoints.MapProtected(protectedGroup, views);
        ShutdownEndpoint.Map(protectedGroup, gatewayServices, log);
    }

    /// <summary>
    /// Mappers of mutating endpoints (fault rules; shutdown and dropping event streams are mapped beside them). Each runs against the
    /// token-protected group with the gateway's services.
    /// </summary>
    public static IReadOnlyList<Action<RouteGroupBuilder, IServiceProvider>> Protected { get; } =
    [
        FaultRuleEndpoints.Map,
    ];
}
