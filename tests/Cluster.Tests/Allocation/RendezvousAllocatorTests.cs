using ActorHost.Cluster.Coordination;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using FsConfig = FsCheck.Config;

namespace ActorHost.Cluster.Tests.Allocation;

public sealed class RendezvousAllocatorTests
{
    private static FsConfig Settings(int cases) =>
        FsConfig.QuickThrowOnFailure
            .WithMaxTest(cases)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20261121UL, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));

    private static readonly Gen<string[]> NodeSets =
        Gen.Choose(1, 8).SelectMany(n => Gen.Choose(0, 1_000_000).ArrayOf(n))
            .Select(ids => ids.Distinct().Select(i => $"node-{i}").ToArray());

    [Fact]
    public void Node_hashes_are_fixed_FNV1a_64()
    {
        Assert.Equal(0xaf63dc4c8601ec8cUL, RendezvousAllocator.NodeHash("a"));
        Assert.Equal(0x85944171f73967e8UL, RendezvousAllocator.NodeHash("foobar"));
    }

    [Fact]
    public void Winners_are_fixed_forever()
    {
        string?[] winners = RendezvousAllocator.Allocate(12, ["node-a", "node-b", "node-c"]);

        Assert.Equal(new string?[] { "node-a", "node-c", "node-c", "node-a", "node-c", "node-a", "node-a", "node-c", "node-b", "node-b", "node-a", "node-c" }, winners.AsEnumerable());
        Assert.Equal(0x82995e46723a0e5fUL, RendezvousAllocator.Weight(0, RendezvousAllocator.NodeHash("node-a")));
    }

    [Fact]
    public void Every_shard_has_exactly_one_winner_among_the_members_whatever_their_order()
    {
        Prop.ForAll(Arb.From(NodeSets), nodes =>
        {
            string?[] forward = RendezvousAllocator.Allocate(200, nodes);
            string?[] backward = RendezvousAllocator.Allocate(200, nodes.Reverse());
            return forward.SequenceEqual(backward) && forward.All(w => w is not null && nodes.Contains(w));
        }).Check(Settings(200));
    }

    [Fact]
    public void Removing_a_node_moves_only_the_shards_it_won()
    {
        Prop.ForAll(Arb.From(NodeSets.Where(n => n.Length >= 2)), nodes =>
        {
            string removed = nodes[0];
            string?[] before = RendezvousAllocator.Allocate(300, nodes);
            string?[] after = RendezvousAllocator.Allocate(300, nodes.Skip(1));
            return Enumerable.Range(0, 300).All(s => before[s] == removed ? after[s] != removed : after[s] == before[s]);
        }).Check(Settings(200));
    }

    [Fact]
    public void Adding_a_node_moves_shards_only_to_the_newcomer()
    {
        Prop.ForAll(Arb.From(NodeSets), nodes =>
        {
            string?[] before = RendezvousAllocator.Allocate(300, nodes);
            string?[] after = RendezvousAllocator.Allocate(300, [.. nodes, "newcomer"]);
            return Enumerable.Range(0, 300).All(s => after[s] == before[s] || after[s] == "newcomer");
        }).Check(Settings(200));
    }

    [Fact]
    public void One_hundred_shards_spread_over_three_nodes_within_reasonable_bounds()
    {
        Prop.ForAll(Arb.From(NodeSets.Where(n => n.Length == 3)), nodes =>
        {
            var counts = RendezvousAllocator.Allocate(100, nodes).GroupBy(w => w).Select(g => g.Count()).ToArray();
            // Expected 33.3 each (binomial, sd ≈ 4.7): 15..55 is beyond four standard deviations.
            return counts.Length == 3 && counts.All(c => c is >= 15 and <= 55);
        }).Check(Settings(300));
    }

    [Fact]
    public void No_members_means_no_winner()
    {
        Assert.All(RendezvousAllocator.Allocate(5, []), w => Assert.Null(w));
    }
}
