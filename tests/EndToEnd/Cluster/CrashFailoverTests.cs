using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorHost.EndToEnd.Cluster;

/// <summary>kill -9 of a node under load: its shards move once their leases expire, nothing hangs, nothing is served twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrashFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>How long a request-finished line may sit in the console logger's queue before it reaches stdout (a failure guard).</summary>
    private static readonly TimeSpan LogFlushMargin = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Kill_9_of_an_owner_under_load_answers_every_request_and_moves_its_shards_within_failure_timeout_plus_2s_to_one_owner_each()
    {
        await using TestCluster cluster = await TestCluster.StartAsync(postgres, output, 3, "crash");
        ClusterNodeProcess victim = cluster["node-3"];
        ClusterNodeProcess[] survivors = [.. cluster.Nodes.Where(n => n != victim)];
        LeaseSnapshot allocation = await cluster.Leases.ReadAsync();
        int[] victimShards = [.. allocation.ShardsOf(victim.NodeId)];
        string[] keys = TestCluster.OneKeyPerShard("k");
        string[] victimKeys = [.. keys.Where(k => victimShards.Contains(TestCluster.ShardOf(k)))];
        string[] failoverWinners = ExpectedAllocation.Winners(TestCluster.NumberOfShards, survivors.Select(n => n.NodeId));
        Assert.NotEmpty(victimShards);

        var clock = Stopwatch.StartNew();
        DateTimeOffset clockStarted = DateTimeOffset.UtcNow;
        await using EntityLoad load = EntityLoad.Start(cluster.Http, survivors, keys, clock);
        await load.WaitForEveryKeyAsync(3, TimeSpan.Zero, "every entity answered 3 times before the kill", TimeSpan.FromSeconds(30));
        await using LeaseSampler sampler = LeaseSampler.Start(cluster.Leases);
        await sampler.FirstSample.WaitAsync(TimeSpan.FromSeconds(10));

        // What the survivors log from the kill on is the scenario: the database stays up, so they neither fence nor lose
        // a shard. Before it (start-up, warm-up) a node starved of CPU may fence for a moment: its requests then get 503
        // + Retry-After, which the load accepts, and it keeps its entities (had it lost a lease instead, the entity runs
        // checked below would show the restart).
        Dictionary<string, int> recordsBeforeKill = ClusterEvents.Mark(survivors);
        TimeSpan killedAt = clock.Elapsed;
        TimeSpan killedAtTable = cluster.Leases.Now;
        await victim.KillAsync();
        int exit = await victim.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        // The signal is delivered a little after kill(1) was started: "dead" is when the exit was seen.
        TimeSpan diedAt = clock.Elapsed;

        // The dead node's shards are held again, each by its rendezvous runner-up among the survivors.
        LeaseSnapshot reowned = await cluster.Leases.WaitUntilAsync(
            s => victimShards.All(shard => s.IsHeldBy(shard, failoverWinners[shard])), "the dead node's shards held by the survivors", TimeSpan.FromSeconds(20));
        // Every entity of the dead node answers again, and everyone gets a few more answers after that.
        TimeSpan reownedAt = clock.Elapsed;
        await load.WaitForEveryKeyAsync(2, reownedAt, "every entity answered twice after the failover", TimeSpan.FromSeconds(30));
        await load.StopAsync();
        IReadOnlyList<LeaseSnapshot> samples = await sampler.StopAsync();

        IReadOnlyList<CounterAnswer> answers = load.All;
        LeaseSnapshot? firstReowned = samples.FirstOrDefault(s => s.At >= killedAtTable && victimShards.All(shard => s.IsHeldBy(shard, failoverWinners[shard])));
        TimeSpan failover = (firstReowned ?? reowned).At - killedAtTable;
        TimeSpan[] firstOkAfterKill = [.. victimKeys.Select(k => load.AnswersOf(k).First(a => a.Ok && a.Sent >= diedAt).Done - killedAt)];
        cluster.Report($"kill -9 of {victim.NodeId} ({victimShards.Length} shards, {victimKeys.Length} of the {keys.Length} loaded entities): shards held again after {failover.TotalSeconds:F2}s; "
            + $"first 200 per entity of the dead node after {firstOkAfterKill.Min().TotalSeconds:F2}..{firstOkAfterKill.Max().TotalSeconds:F2}s; "
            + $"{answers.Count} answers: {answers.Count(a => a.Ok)} x 200, {answers.Count(a => a.Status == 503)} x 503, {answers.Count(a => a.Failure is not null)} without answer");

        Assert.Equal(137, exit); // 128 + SIGKILL
        ClusterEvents.AssertNoSelfFencing(survivors, "the survivors after the kill (the database stayed up)", recordsBeforeKill);
        // Every request answered: 200, or 503 with Retry-After during the gap; none hung (the client gives up after 20 s).
        CounterAnswer[] bad = [.. answers.Where(a => !a.Acceptable)];
        Assert.True(bad.Length == 0, $"{bad.Length} requests were not answered 200 or 503 + Retry-After: {string.Join("; ", bad.Take(10))}");
        Assert.True(failover <= TestCluster.FailureTimeout + TimeSpan.FromSeconds(2), $"the dead node's shards were held again only after {failover.TotalSeconds:F2}s");

        // Ownership only ever changed with a higher epoch, and no shard other than the dead node's moved.
        IReadOnlyList<string> violations = LeaseSampler.EpochViolations(samples);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.All(allocation.Shards.Where(s => !victimShards.Contains(s.Shard)), s => Assert.Equal((s.Owner, s.Epoch), (reowned.Shards[s.Shard].Owner, reowned.Shards[s.Shard].Epoch)));
        Assert.All(victimShards, shard => Assert.True(reowned.Shards[shard].Epoch > allocation.Shards[shard].Epoch));

        // One serving owner at a time, as the client sees it: entities of the survivors counted on without a break;
        // entities of the dead node counted once from 1 and then restarted fresh (count 1, incarnation 1) on the new owner.
        foreach (string key in keys)
        {
            IReadOnlyList<CountRun> runs = CountRuns.Of(load.AnswersOf(key));
            string described = $"{key} (shard {TestCluster.ShardOf(key)}): {CountRuns.Describe(runs)}";
            if (victimKeys.Contains(key))
            {
                Assert.True(runs.Count == 2, "the dead node's entity should count from 1 twice (before and after the failover): " + described);
                Assert.True(runs[0].First == 1 && runs[1].First == 1 && runs[1].Incarnation == 1, "restarted fresh on the new owner: " + described);
                Assert.True(runs[1].Answered >= killedAt, "the restart came after the kill: " + described);
            }
            else
            {
                Assert.True(runs.Count == 1 && runs[0].First == 1, "a survivor's entity counts on without a break: " + described);
            }
        }

        // The dead node's own log agrees: it served every count the client saw before the failover (it received no
        // public request, so each of its request-finished lines is one it served) and nothing after it was killed.
        // A request-finished line is written after its response, through the console logger's queue, so the last
        // lines before a kill -9 may never reach stdout: only answers the client had LogFlushMargin before the kill
        // must be in the log.
        foreach (string key in victimKeys)
        {
            int seenEarly = load.AnswersOf(key).Count(a => a.Ok && a.Done < killedAt - LogFlushMargin);
            JsonElement[] served = ClusterEvents.Increments(victim, key);
            Assert.True(served.Length >= seenEarly, $"{key}: {victim.NodeId} logged {served.Length} increments, the client had {seenEarly} from it {LogFlushMargin.TotalMilliseconds} ms before the kill");
            Assert.All(served, r => Assert.True(ClusterEvents.Timestamp(r) <= clockStarted + diedAt, $"{key}: {victim.NodeId} served after it died"));
        }

        Assert.All(keys.Except(victimKeys), key => Assert.Empty(ClusterEvents.Increments(victim, key)));

        // The survivors' logs agree: after the kill they acquired exactly the dead node's shards, and lost none.
        int acquired = survivors.Sum(n => n.Process.Records.Skip(recordsBeforeKill[n.NodeId])
            .Where(r => ClusterEvents.Is(r, ClusterEvents.ShardsAcquired)).Sum(r => int.Parse(GatewayProcess.State(r, "Count")!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(victimShards.Length, acquired);
        Assert.All(survivors, n => Assert.DoesNotContain(n.Process.Records.Skip(recordsBeforeKill[n.NodeId]), r => ClusterEvents.Is(r, ClusterEvents.ShardsLost)));
    }
}
