using ActorHost.Gateway.Management.Events;
using ActorHost.Gateway.Management.Metrics;
using ActorHost.Gateway.Management.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management;

/// <summary>The read-only views: <c>GET /workers</c>, <c>/events</c>, <c>/stats</c>, <c>/metrics</c>.</summary>
internal static class ObservationEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ManagementViews views, TimeProvider time, ILogger log)
    {
        app.MapGet("/workers", (HttpRequest request) => WorkerTreeQuery.TryParse(request.Query, out WorkerTreeQuery query, out string? error)
            ? Results.Json(views.Tree.Read(query))
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query.", detail: error));

        app.MapGet("/events", (HttpContext http) => EventsEndpoint.StreamAsync(http, views, time, log));

        app.MapGet("/stats", () => Results.Json(new
        {
            time = time.GetUtcNow(),
            windowSeconds = views.Statistics.WindowSeconds,
            lastEventId = views.Ring.LastId,
            routes = views.Statistics.Snapshot(),
        }));

        app.MapGet("/metrics", () => Results.Text(PrometheusTextWriter.Write(views.Meters.Collect()), PrometheusTextWriter.ContentType));
    }

    /// <summary>Token-protected: <c>POST /events/disconnect</c> drops every open <c>/events</c> stream (clients resume).</summary>
    public static void MapProtected(RouteGroupBuilder group, ManagementViews views) =>
        group.MapPost("/events/disconnect", () => Results.Json(new { dropped = views.Connections.DropAll() }));
}
