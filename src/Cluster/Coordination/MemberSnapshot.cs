namespace ActorHost.Cluster.Coordination;

/// <summary>One member as this node last read it; <see cref="Status"/> is Down when its heartbeat expired.</summary>
/// <param name="NodeId">The member's id.</param>
/// <param name="Address">Its advertised address (null when the stored text is not a URL).</param>
/// <param name="AddressText">The stored address text.</param>
/// <param name="Status">Joining, up, leaving or down (derived from the heartbeat age).</param>
/// <param name="StartedAt">When it registered.</param>
/// <param name="HeartbeatAge">Heartbeat age on the database clock when read.</param>
internal sealed record MemberInfo(string NodeId, Uri? Address, string AddressText, MemberStatus Status, DateTimeOffset StartedAt, TimeSpan HeartbeatAge);

/// <summary>An immutable read of the members table, with the allocation candidates (the up members).</summary>
internal sealed class MemberSnapshot
{
    private MemberSnapshot(IReadOnlyList<MemberInfo> all)
    {
        All = all;
        ById = all.ToDictionary(m => m.NodeId, StringComparer.Ordinal);
        Up = RendezvousAllocator.Candidates(all.Where(m => m.Status == MemberStatus.Up).Select(m => m.NodeId));
    }

    public static MemberSnapshot Empty { get; } = new([]);

    public IReadOnlyList<MemberInfo> All { get; }

    public IReadOnlyDictionary<string, MemberInfo> ById { get; }

    /// <summary>The members shards are allocated to: status up and heartbeat within failure-timeout.</summary>
    public IReadOnlyList<RendezvousAllocator.Candidate> Up { get; }

    public static MemberSnapshot From(IEnumerable<MemberRow> rows, TimeSpan failureTimeout) =>
        new(rows.Select(r => new MemberInfo(
                r.NodeId,
                Uri.TryCreate(r.Address, UriKind.Absolute, out Uri? uri) ? uri : null,
                r.Address,
                r.HeartbeatAge > failureTimeout ? MemberStatus.Down : r.Status,
                r.StartedAt,
                r.HeartbeatAge))
            .ToArray());

    /// <summary>True when <paramref name="nodeId"/> is a member that is not down.</summary>
    public bool IsAlive(string nodeId) => ById.TryGetValue(nodeId, out MemberInfo? m) && m.Status != MemberStatus.Down;

    /// <summary>The membership changes from <paramref name="previous"/> to this snapshot.</summary>
    public IEnumerable<(string NodeId, ClusterEventKind Kind, string Detail)> ChangesSince(MemberSnapshot previous)
    {
        foreach (MemberInfo member in All)
        {
            MemberStatus? before = previous.ById.TryGetValue(member.NodeId, out MemberInfo? old) ? old.Status : null;
            if (before == member.Status)
            {
                continue;
            }

            yield return member.Status switch
            {
                MemberStatus.Leaving => (member.NodeId, ClusterEventKind.MemberLeaving, "leaving"),
                MemberStatus.Down => (member.NodeId, ClusterEventKind.MemberDown, $"down (heartbeat {member.HeartbeatAge.TotalSeconds:0.0}s old)"),
                MemberStatus.Up => (member.NodeId, ClusterEventKind.MemberUp, $"up at {member.AddressText}"),
                _ => (member.NodeId, ClusterEventKind.MemberUp, $"joining at {member.AddressText}"),
            };
        }

        foreach (MemberInfo old in previous.All)
        {
            if (!ById.ContainsKey(old.NodeId))
            {
                yield return (old.NodeId, ClusterEventKind.MemberRemoved, "removed");
            }
        }
    }
}
