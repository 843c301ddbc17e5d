namespace ActorHost.Actors;

/// <summary>
/// A parent's children by name, allocated on the first child. Mutated under its lock (children can be created
/// from outside the actor for guardians; introspection reads from any thread).
/// </summary>
internal sealed class ChildrenContainer
{
    public readonly Dictionary<string, ActorCell> ByName = new(StringComparer.Ordinal);

    /// <summary>Children asked to stop whose termination has not arrived yet.</summary>
    public int DyingCount;

    /// <summary>Set when the parent stops: no new children.</summary>
    public bool Closed;

    /// <summary>Counter for generated names ($a, $b, …).</summary>
    public long NameCounter;

    public List<ActorCell> Snapshot()
    {
        lock (ByName)
        {
            return [.. ByName.Values];
        }
    }
}
