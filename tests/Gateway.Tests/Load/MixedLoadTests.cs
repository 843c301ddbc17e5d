using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Load;

/// <summary>
/// A bounded mixed load on the real runtime: 10,000 requests, half to the 16-worker echo pool and half to 100
/// counter entities, with 10% of handler calls failed by the fault injector (seeded, so a run can be repeated).
/// </summary>
public sealed class MixedLoadTests
{
    private const int Requests = 10_000;
    private const int Entities = 100;

    [Fact]
    public async Task Every_request_gets_one_expected_status_restarts_equal_failures_and_no_state_leaks_across_incarnations()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.faults { enabled = on, seed = 42, rules = [{ route = "*", point = before-handle, probability = 0.1 }] }
            actorhost.logging.level = Information
            """);
        var counterAnswers = new ConcurrentBag<(int Entity, int Incarnation, long Count)>();
        var statuses = new ConcurrentDictionary<int, int>();
        int echoMismatches = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            if (i % 2 == 0)
            {
                string payload = "payload-" + i;
                using HttpResponseMessage response = await gateway.Client.PostAsync("/echo", new StringContent(payload, Encoding.UTF8, "text/plain"), ct);
                string body = await response.Content.ReadAsStringAsync(ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if ((int)response.StatusCode == 200 && body != payload)
                {
                    Interlocked.Increment(ref echoMismatches);
                }
            }
            else
            {
                int entity = i / 2 % Entities;
                using HttpResponseMessage response = await gateway.Client.PostAsync($"/counter/{entity}/increment", null, ct);
                string body = await response.Content.ReadAsStringAsync(ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if ((int)response.StatusCode == 200)
                {
                    using JsonDocument json = JsonDocument.Parse(body);
                    counterAnswers.Add((entity, json.RootElement.GetProperty("incarnation").GetInt32(), json.RootElement.GetProperty("count").GetInt64()));
                }
            }
        });
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == Requests, TimeSpan.FromSeconds(60));
        int failures = statuses.GetValueOrDefault(500);
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.Records.Count(r => r.EventId.Name == "WorkerRestarted") == failures, TimeSpan.FromSeconds(30));

        // Exactly the expected statuses, and about 10% failures.
        Assert.Equal(Requests, statuses.Values.Sum());
        Assert.Equal([200, 500], statuses.Keys.Order());
        Assert.InRange(failures, Requests * 7 / 100, Requests * 13 / 100);
        Assert.Equal(0, echoMismatches);

        // Every failure was supervised once, and restarted once.
        Assert.Equal(failures, gateway.Logs.Records.Count(r => r.EventId.Name == "WorkerFailed"));
        Assert.Equal(failures, gateway.Logs.Records.Count(r => r.EventId.Name == "WorkerRestarted"));
        Assert.Equal(Requests, gateway.Logs.RequestFinished.Count);
        Assert.Equal(failures, gateway.Logs.RequestFinished.Count(l => l.Text("Outcome") == "handler_failed"));

        // Within each incarnation of each counter the answers are exactly 1..n: a fresh instance always starts
        // from zero and nothing of an old incarnation's state is seen again.
        foreach (IGrouping<(int Entity, int Incarnation), (int Entity, int Incarnation, long Count)> incarnation in counterAnswers.GroupBy(a => (a.Entity, a.Incarnation)))
        {
            long[] counts = [.. incarnation.Select(a => a.Count).Order()];
            Assert.Equal(Enumerable.Range(1, counts.Length).Select(n => (long)n), counts);
        }
    }
}
