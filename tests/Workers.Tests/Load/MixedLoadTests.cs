using ActorHost.Workers.Events;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Load;

public class MixedLoadTests
{
    private static readonly TimeSpan LoadGuard = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Ten_thousand_requests_over_a_pool_and_a_hundred_entities_with_ten_percent_failures_each_end_exactly_once()
    {
        const int requests = 10_000;
        await using Harness h = await Harness.StartAsync(
            [Harness.Pool("pool", instances: 16), Harness.Entity("ent")],
            faults: new FaultOptions { Enabled = true, Seed = 2024, Rules = [new FaultRule { Probability = 0.1, Message = "injected" }] });

        var exchanges = new Exchange[requests];
        for (int i = 0; i < requests; i++)
        {
            exchanges[i] = i % 2 == 0 ? h.Send("pool") : h.Send("ent", key: $"e{i / 2 % 100}");
        }

        // 10,000 requests take 1-6 s alone, but ./test.sh runs every test project at once on 2 cores: the guard
        // only has to tell a lost request from a starved run.
        RequestResult[] results = await Task.WhenAll(exchanges.Select(x => x.Envelope.Completion.WaitAsync(LoadGuard)));
        await Task.WhenAll(exchanges.Select(x => x.Envelope.HandlerExited.WaitAsync(LoadGuard)));

        // Every request ended once, with one of the two expected outcomes, and only injected faults failed.
        Assert.All(results, r => Assert.True(
            r.Outcome == RequestOutcome.Ok || (r.Outcome == RequestOutcome.HandlerFailed && r.Error is InvalidOperationException { Message: "injected" }),
            $"unexpected {r.Outcome}: {r.Error}"));
        int failures = results.Count(r => r.Outcome == RequestOutcome.HandlerFailed);
        FaultRuleStatus rule = Assert.Single(h.Runtime.Faults.Rules);
        Assert.Equal(requests, rule.Calls);
        Assert.Equal(failures, rule.Fired);
        Assert.InRange(failures, requests / 20, requests / 5);

        // Restarts equal failures, worker by worker.
        IReadOnlyList<WorkerRestarted> restarts = await h.ExpectCount<WorkerRestarted>(failures);
        Assert.Equal(failures, restarts.Count);
        var failuresByWorker = exchanges.Where(x => x.Envelope.Completion.Result.Outcome == RequestOutcome.HandlerFailed)
            .GroupBy(x => x.Envelope.Handler!.Path).ToDictionary(g => g.Key, g => g.Count());
        var restartsByWorker = restarts.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(failuresByWorker.OrderBy(p => p.Key), restartsByWorker.OrderBy(p => p.Key));

        // No state leaks across incarnations: each incarnation's counter runs 1, 2, 3, … with no gap or repeat.
        ProbeReply[] replies = [.. exchanges.Where(x => x.Envelope.Completion.Result.Outcome == RequestOutcome.Ok).Select(x => x.Reply)];
        Assert.Equal(requests - failures, replies.Length);
        foreach (IGrouping<(string Path, int Incarnation), ProbeReply> incarnation in replies.GroupBy(r => (r.Path, r.Incarnation)))
        {
            Assert.Equal(Enumerable.Range(1, incarnation.Count()), incarnation.Select(r => r.Count).Order());
            Assert.InRange(incarnation.Key.Incarnation, 1, failuresByWorker.GetValueOrDefault(incarnation.Key.Path) + 1);
        }

        Assert.Equal(116, replies.Select(r => r.Path).Distinct().Count());
        Assert.Equal(0, h.Runtime.InFlight);
    }
}
