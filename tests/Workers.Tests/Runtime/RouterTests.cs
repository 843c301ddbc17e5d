using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class RouterTests
{
    private static RouteOptions Hashed(string name, int instances) =>
        Harness.Pool(name, instances, router: RouterKind.ConsistentHash) with { HashKey = "tenant", Supervision = "stop" };

    [Fact]
    public async Task Round_robin_visits_every_worker_in_turn()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 4)]);

        var paths = new List<string>();
        for (int i = 0; i < 8; i++)
        {
            paths.Add((await h.SendAsync("p")).Reply.Path);
        }

        Assert.Equal(4, paths.Distinct().Count());
        Assert.All(paths.GroupBy(p => p), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public async Task Least_busy_sends_work_to_the_idle_worker()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 3, router: RouterKind.LeastBusy)]);
        Exchange first = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g1" });
        Exchange second = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g2" });
        await h.Gates.WhenOpen("entered:g1").WaitAsync(Harness.Guard);
        await h.Gates.WhenOpen("entered:g2").WaitAsync(Harness.Guard);

        var idle = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            idle.Add((await h.SendAsync("p")).Reply.Path);
        }

        string busy1 = first.Envelope.Handler!.Path;
        string busy2 = second.Envelope.Handler!.Path;
        h.Gates.Open("g1");
        h.Gates.Open("g2");
        await Task.WhenAll(first.ResultAsync(), second.ResultAsync());
        Assert.Single(idle.Distinct());
        Assert.DoesNotContain(busy1, idle);
        Assert.DoesNotContain(busy2, idle);
        Assert.NotEqual(busy1, busy2);
    }

    [Fact]
    public async Task Consistent_hash_sends_one_key_always_to_the_same_worker_from_a_route_value_or_header()
    {
        await using Harness h = await Harness.StartAsync(
            [Hashed("p", 4)], [Harness.Strategy("stop", ("*", SupervisionDirective.Stop))]);

        var byKey = new Dictionary<string, HashSet<string>>();
        for (int round = 0; round < 3; round++)
        {
            for (int k = 0; k < 12; k++)
            {
                string key = $"tenant-{k}";
                Exchange x = round == 1
                    ? h.Send("p", headers: new Dictionary<string, string> { ["tenant"] = key })
                    : h.Send("p", routeValues: new Dictionary<string, string> { ["tenant"] = key });
                await x.ResultAsync();
                (byKey.TryGetValue(key, out HashSet<string>? set) ? set : byKey[key] = []).Add(x.Reply.Path);
            }
        }

        Assert.All(byKey.Values, paths => Assert.Single(paths));
        Assert.True(byKey.Values.Select(p => p.Single()).Distinct().Count() > 1, "twelve keys should not all land on one worker");
        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("p")).OutcomeAsync());
    }

    [Fact]
    public async Task Consistent_hash_moves_only_the_keys_of_a_stopped_worker()
    {
        await using Harness h = await Harness.StartAsync(
            [Hashed("p", 4)], [Harness.Strategy("stop", ("*", SupervisionDirective.Stop))]);
        var before = new Dictionary<string, string>();
        for (int k = 0; k < 16; k++)
        {
            Exchange x = h.Send("p", routeValues: new Dictionary<string, string> { ["tenant"] = $"t{k}" });
            await x.ResultAsync();
            before[$"t{k}"] = x.Reply.Path;
        }

        string victimKey = before.Keys.First();
        string victim = before[victimKey];
        Exchange kill = h.Send("p", "throw", routeValues: new Dictionary<string, string> { ["tenant"] = victimKey });
        Assert.Equal(RequestOutcome.HandlerFailed, await kill.OutcomeAsync());

        foreach ((string key, string path) in before)
        {
            Exchange x = h.Send("p", routeValues: new Dictionary<string, string> { ["tenant"] = key });
            Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
            if (path == victim)
            {
                Assert.NotEqual(victim, x.Reply.Path);
            }
            else
            {
                Assert.Equal(path, x.Reply.Path);
            }
        }
    }
}
