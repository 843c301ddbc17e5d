using System.Text;

namespace ActorHost.Cluster.Coordination;

/// <summary>
/// Decides which member should own each shard: rendezvous (highest-random-weight) hashing. Every member
/// scores every shard with a fixed 64-bit hash of (shard, node id) and the highest score wins.
/// </summary>
/// <remarks>
/// Why rendezvous hashing rather than a least-shard allocator with a rebalance limit:
/// <list type="bullet">
/// <item>No leader and no extra state: every node computes the same winner from the same list of up members,
/// so nothing has to be elected, replicated or recovered. The lease table is the only shared state and
/// its conditional updates keep ownership exclusive even while nodes briefly disagree about the members.</item>
/// <item>Minimal movement by construction: removing a member moves only the shards it won (each to the
/// runner-up of that shard), and adding one moves only the shards the newcomer now wins — about 1/N of them.
/// A least-shard allocator needs an explicit "move as little as possible" rule and a coordinator to apply it.</item>
/// <item>Even spread in expectation: each member wins each shard with probability 1/N; with 100 shards and
/// 3 nodes the counts stay within a few shards of 33. The rebalance-batch limit still paces hand-offs.</item>
/// </list>
/// The hash is fixed forever (FNV-1a 64 of the node id, mixed with the shard by the SplitMix64 finaliser):
/// nodes of different versions must agree, so it must never change (and <c>string.GetHashCode</c>, randomised per process, must never be used).
/// </remarks>
internal static class RendezvousAllocator
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>The stable 64-bit hash of a node id (FNV-1a over UTF-8).</summary>
    public static ulong NodeHash(string nodeId)
    {
        ulong hash = FnvOffset;
        foreach (byte b in Encoding.UTF8.GetBytes(nodeId))
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    /// <summary>The weight of <paramref name="shard"/> for a node with hash <paramref name="nodeHash"/>.</summary>
    public static ulong Weight(int shard, ulong nodeHash) => Mix(nodeHash ^ ((ulong)(uint)shard * 0x9E3779B97F4A7C15UL));

    /// <summary>
    /// The winner of <paramref name="shard"/> among <paramref name="members"/> (precomputed hashes); null when
    /// there are none. Ties (practically impossible) go to the ordinally smaller id so every node agrees.
    /// </summary>
    public static string? Winner(int shard, IReadOnlyList<Candidate> members)
    {
        string? best = null;
        ulong bestWeight = 0;
        foreach (Candidate member in members)
        {
            ulong weight = Weight(shard, member.Hash);
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(member.NodeId, best) < 0))
            {
                best = member.NodeId;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>The candidates for <paramref name="nodeIds"/> with their hashes.</summary>
    public static IReadOnlyList<Candidate> Candidates(IEnumerable<string> nodeIds) => nodeIds.Select(id => new Candidate(id, NodeHash(id))).ToArray();

    /// <summary>The winner of every shard 0..<paramref name="numberOfShards"/>-1 (null entries when no members).</summary>
    public static string?[] Allocate(int numberOfShards, IEnumerable<string> nodeIds)
    {
        IReadOnlyList<Candidate> candidates = Candidates(nodeIds);
        var winners = new string?[numberOfShards];
        for (int shard = 0; shard < numberOfShards; shard++)
        {
            winners[shard] = Winner(shard, candidates);
        }

        return winners;
    }

    // SplitMix64's finaliser: every input bit affects every output bit, so close shard numbers get unrelated weights.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A member taking part in allocation.</summary>
    /// <param name="NodeId">Its id.</param>
    /// <param name="Hash">Its <see cref="NodeHash"/>.</param>
    internal readonly record struct Candidate(string NodeId, ulong Hash);
}
