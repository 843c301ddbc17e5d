using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Management.Events;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Management.Cluster;

/// <summary>
/// Puts every <see cref="IClusterView.Changed"/> event into the <see cref="EventRing"/> as a <c>cluster</c>
/// event, beside the supervision events, so <c>/events?since=ID</c> resumes across both and the dashboard's
/// timeline shows hand-offs and fencing where it shows restarts. Subscribed from construction (before the
/// node starts joining) until disposed.
/// </summary>
internal sealed class ClusterEventFeeder : IDisposable
{
    private readonly IClusterView _cluster;
    private readonly EventRing _ring;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private int _disposed;

    public ClusterEventFeeder(IClusterView cluster, EventRing ring, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _cluster = cluster;
        _ring = ring;
        _time = time;
        _log = loggerFactory.CreateLogger(ManagementLog.Category);
        _cluster.Changed += OnChanged;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cluster.Changed -= OnChanged;
        }
    }

    private void OnChanged(ClusterEvent change)
    {
        // Raised on the cluster node's own thread: appending is short and never waits for readers, and a
        // failure here must not reach (and break) the node's heartbeat loop.
        try
        {
            _ring.Append(ClusterEventData.Type, change.Timestamp == default ? _time.GetUtcNow() : change.Timestamp, ClusterEventData.Describe(change));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ManagementLog.ManagementFault(_log, e, nameof(ClusterEventFeeder));
        }
    }
}
