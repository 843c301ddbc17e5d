using ActorHost.Actors;

namespace ActorHost.Workers.Events;

/// <summary>Where the runtime's actors live: <c>/user/routes/&lt;route&gt;/&lt;worker&gt;</c>.</summary>
internal static class RoutePaths
{
    public const string RoutesName = "routes";

    /// <summary>The route a path under <c>/user/routes/&lt;route&gt;</c> belongs to, or null.</summary>
    public static string? RouteOf(ActorPath path)
    {
        ActorPath? p = path;
        while (p is not null && p.Depth > 3)
        {
            p = p.Parent;
        }

        return p is { Depth: 3, Parent: { Name: RoutesName, Parent: { Name: "user", Depth: 1 } } } ? p.Name : null;
    }

    /// <summary>True for a worker (<c>/user/routes/&lt;route&gt;/&lt;worker&gt;</c>).</summary>
    public static bool IsWorker(ActorPath path) => path.Depth == 4 && RouteOf(path) is not null;
}
