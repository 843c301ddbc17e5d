using System.Globalization;
using ActorHost.Cluster.Coordination;
using ActorHost.Gateway.Shutdown;

namespace ActorHost.Gateway.Cluster;

/// <summary>The shutdown's leave phase: the node hands its shards off while it still serves (and forwards).</summary>
internal sealed class ClusterLeave(ClusterNode node) : IClusterLeave
{
    public async Task<string> LeaveAsync(TimeSpan timeout, CancellationToken skip)
    {
        if (node.Status is MemberStatus.Joining)
        {
            return "never joined; nothing to hand off";
        }

        int owned = node.Shards.Count(s => s.OwnerNodeId == node.NodeId);
        try
        {
            await node.LeaveAsync(timeout, skip);
        }
        catch (OperationCanceledException) when (skip.IsCancellationRequested)
        {
            return "cut short by a repeated signal; the remaining leases expire";
        }

        int left = node.Shards.Count(s => s.OwnerNodeId == node.NodeId);
        return string.Create(CultureInfo.InvariantCulture, $"left the cluster; {owned - left} of {owned} shards handed off");
    }
}
