using System.Globalization;
using System.Text;

namespace ActorHost.Actors.TestKit;

/// <summary>Lists the actors of a system that have not stopped, for the failure message of a hung termination.</summary>
internal static class StillAlive
{
    public static string Describe(ActorSystem system)
    {
        var alive = new List<ActorSnapshot>();
        if (system.Resolve(ActorPath.Root) is { } root)
        {
            Collect(system, root, alive);
        }

        if (alive.Count == 0)
        {
            return "Every actor has stopped.";
        }

        // An actor waits for its children before it stops: the deepest ones listed are the ones holding things up.
        var text = new StringBuilder("Not stopped (a parent waits for its children; the deepest are the culprits, e.g. a blocked PostStop or handler):");
        foreach (var snapshot in alive)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {snapshot.Path} ({snapshot.State}, {snapshot.ActorType.Name})");
        }

        return text.ToString();
    }

    private static void Collect(ActorSystem system, IActorRef actor, List<ActorSnapshot> alive)
    {
        if (system.Inspect(actor) is { } snapshot && snapshot.State != ActorState.Stopped)
        {
            alive.Add(snapshot);
        }

        foreach (var child in system.GetChildren(actor))
        {
            Collect(system, child, alive);
        }
    }
}
