namespace ActorHost.Workers.Runtime;

/// <summary>
/// Remembers the last incarnation number of worker names whose actor has terminated, so a re-created entity
/// (after a stop or passivation) continues the count instead of starting at 1 again — a client that sees
/// <c>incarnation</c> go up knows it reached a fresh instance. Bounded: the oldest entries are forgotten
/// first, so a huge key space cannot grow it without limit (a forgotten key starts at 1 again).
/// Used only from the route supervisor, one message at a time; it outlives the supervisor's restarts.
/// </summary>
internal sealed class IncarnationLedger(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Name, int Incarnation)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Name, int Incarnation)> _age = new();

    public int Count => _entries.Count;

    /// <summary>The last incarnation recorded for <paramref name="name"/> (0 if none), forgetting it.</summary>
    public int Take(string name)
    {
        if (!_entries.Remove(name, out LinkedListNode<(string Name, int Incarnation)>? node))
        {
            return 0;
        }

        _age.Remove(node);
        return node.Value.Incarnation;
    }

    public void Record(string name, int incarnation)
    {
        if (incarnation <= 0)
        {
            return;
        }

        Take(name);
        _entries[name] = _age.AddLast((name, incarnation));
        while (_entries.Count > capacity && _age.First is { } oldest)
        {
            _age.RemoveFirst();
            _entries.Remove(oldest.Value.Name);
        }
    }
}
