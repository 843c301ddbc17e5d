using ActorHost.Cluster.Forwarding;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>Answers an owner node gives on its internal listener.</summary>
public static class OwnerAnswers
{
    /// <summary>Serves the request: a body naming the node, then the outcome trailers.</summary>
    public static async Task Serve(HttpContext context, string node)
    {
        await context.Response.WriteAsync("served by " + node);
        context.Response.AppendTrailer(ForwardHeaders.Outcome, "ok");
        context.Response.AppendTrailer(ForwardHeaders.Node, node);
        context.Response.AppendTrailer(ForwardHeaders.Worker, "/user/routes/counter/7");
        context.Response.AppendTrailer(ForwardHeaders.Incarnation, "1");
    }

    /// <summary>"Not my shard."</summary>
    public static Task Misdirect(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        return Task.CompletedTask;
    }
}
