using ActorHost.Cluster.Coordination;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>Records a node's Changed events and lets a test wait for one that matches.</summary>
public sealed class EventProbe : IDisposable
{
    private readonly ClusterNode _node;
    private readonly Recording<ClusterEvent> _events = new();

    public EventProbe(ClusterNode node)
    {
        _node = node;
        node.Changed += OnChanged;
    }

    public IReadOnlyList<ClusterEvent> Events => _events.Items;

    /// <summary>How many events were seen so far (pass it as <c>after</c> to wait only for later ones).</summary>
    public int Mark() => _events.Mark();

    /// <summary>The first event (already seen after the first <paramref name="after"/>, or future) matching <paramref name="match"/>.</summary>
    public Task<ClusterEvent> WaitForAsync(Func<ClusterEvent, bool> match, TimeSpan guard, int after = 0) => _events.WaitForAsync(match, guard, after);

    public void Dispose() => _node.Changed -= OnChanged;

    private void OnChanged(ClusterEvent e) => _events.Add(e);
}
