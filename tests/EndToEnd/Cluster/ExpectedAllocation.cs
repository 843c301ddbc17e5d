using System.Text;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>
/// Which member should own each shard, restated from the allocator's documented, fixed-forever rule
/// (rendezvous hashing: FNV-1a 64 of the node id, xor the shard times the golden-ratio constant, SplitMix64
/// finaliser; highest weight wins, ties to the ordinally smaller id). The tests wait for the lease table to
/// match it: that is when a cluster has settled, and it pins the rule nodes of different versions must agree on.
/// </summary>
internal static class ExpectedAllocation
{
    public static string[] Winners(int numberOfShards, IEnumerable<string> nodeIds)
    {
        (string Id, ulong Hash)[] members = [.. nodeIds.Select(id => (id, NodeHash(id)))];
        if (members.Length == 0)
        {
            throw new ArgumentException("at least one member is needed", nameof(nodeIds));
        }

        var winners = new string[numberOfShards];
        for (int shard = 0; shard < numberOfShards; shard++)
        {
            string best = members[0].Id;
            ulong bestWeight = Weight(shard, members[0].Hash);
            foreach ((string id, ulong hash) in members.Skip(1))
            {
                ulong weight = Weight(shard, hash);
                if (weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(id, best) < 0))
                {
                    best = id;
                    bestWeight = weight;
                }
            }

            winners[shard] = best;
        }

        return winners;
    }

    private static ulong NodeHash(string nodeId)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in Encoding.UTF8.GetBytes(nodeId))
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return hash;
    }

    private static ulong Weight(int shard, ulong nodeHash)
    {
        ulong z = nodeHash ^ ((ulong)(uint)shard * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
