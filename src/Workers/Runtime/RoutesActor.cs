using ActorHost.Actors;
using ActorHost.Workers.Events;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// <c>/user/routes</c>: the parent of every route supervisor. Its strategy (<c>supervision.route-supervisors</c>,
/// by default <c>escalate</c>) decides what a failing route supervisor means — with the default, a worker
/// failure escalated by its route reaches the root and terminates the system.
/// </summary>
internal sealed class RoutesActor(IReadOnlyList<RouteHost> routes) : ReceiveActor
{
    public const string Name = RoutePaths.RoutesName;

    protected override void PreStart()
    {
        foreach (RouteHost route in routes)
        {
            route.Supervisor = Context.ActorOf(Props.Create(() => new RouteSupervisor(route)).WithSupervisorStrategy(route.Strategy), route.Name);
        }
    }
}
