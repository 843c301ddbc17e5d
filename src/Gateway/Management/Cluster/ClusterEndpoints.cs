using ActorHost.Cluster.Coordination;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorHost.Gateway.Management.Cluster;

/// <summary>
/// <c>GET /cluster/members</c> and <c>GET /cluster/shards</c>: this node's view of the cluster, shaped after
/// Akka Management's cluster HTTP API (<c>selfNode</c>, <c>members</c>, <c>unreachable</c>). Without a
/// cluster (<c>actorhost.cluster.enabled = off</c>, no <see cref="IClusterView"/> registered) both answer
/// 404 with a problem saying so, which is also how the dashboard learns that the cluster is off.
/// </summary>
internal static class ClusterEndpoints
{
    public static void Map(IEndpointRouteBuilder app, IClusterView? cluster)
    {
        app.MapGet("/cluster/members", () => cluster is null ? Disabled() : Results.Json(ClusterDocuments.Members(cluster)));
        app.MapGet("/cluster/shards", () => cluster is null ? Disabled() : Results.Json(ClusterDocuments.Shards(cluster)));
    }

    private static IResult Disabled() => Results.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "The cluster is disabled.",
        detail: "actorhost.cluster.enabled = off: this gateway runs as a single node, so it has no members or shards to show.");
}
