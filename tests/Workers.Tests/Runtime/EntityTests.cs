using ActorHost.Actors;
using ActorHost.Workers.Events;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class EntityTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Each_key_gets_its_own_worker_created_on_first_use_and_addressed_by_key()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);

        Exchange a1 = await h.SendAsync("e", key: "a");
        Exchange b1 = await h.SendAsync("e", key: "b");
        Exchange a2 = await h.SendAsync("e", key: "a");

        Assert.Equal("/user/routes/e/a", a1.Reply.Path);
        Assert.Equal("/user/routes/e/b", b1.Reply.Path);
        Assert.Equal((1, 1), (b1.Reply.Count, b1.Reply.Incarnation));
        Assert.Equal((2, 1), (a2.Reply.Count, a2.Reply.Incarnation));
        Assert.Equal(1, h.Journal.Count("constructed /user/routes/e/a "));
    }

    [Fact]
    public async Task Requests_for_a_live_entity_go_to_it_directly_without_a_turn_of_the_route_supervisor()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "a");
        IActorRef supervisor = h.Runtime.System.Resolve(ActorPath.Root.Child("user").Child("routes").Child("e"))!;
        long turnsBefore = h.Runtime.System.Inspect(supervisor)!.ProcessedCount;

        Exchange last = null!;
        for (int i = 0; i < 5; i++)
        {
            last = await h.SendAsync("e", key: "a");
        }

        Assert.Equal((6, 1), (last.Reply.Count, last.Reply.Incarnation));
        Assert.Equal(turnsBefore, h.Runtime.System.Inspect(supervisor)!.ProcessedCount);
    }

    [Fact]
    public async Task Requests_sent_from_many_threads_while_passivation_ticks_stop_their_entities_are_all_served()
    {
        // Whatever the interleaving of request threads and the supervisor closing gates, each request is either
        // queued before its entity's stop message or held for the successor: none becomes a dead letter.
        TimeSpan period = TimeSpan.FromSeconds(1);
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", passivateAfter: period)]);
        var exchanges = new List<Exchange>();
        for (int round = 0; round < 40; round++)
        {
            Task<Exchange[]> sending = Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => h.Send("e", key: "k" + (i % 3)))));
            h.Clock.Advance(period);
            exchanges.AddRange(await sending.WaitAsync(Harness.Guard));
        }

        // A request that became a dead letter would have been answered worker_stopped.
        Assert.All(await Task.WhenAll(exchanges.Select(x => x.OutcomeAsync())), outcome => Assert.Equal(RequestOutcome.Ok, outcome));

        // Whether a tick in the loop found an entity idle depends on the interleaving (under load every tick may
        // meet requests). Once every handler has exited, two more periods hold a tick at least a period after the
        // last activity: the entities are then passivated for sure, and the route still serves afterwards.
        await Task.WhenAll(exchanges.Select(x => x.Envelope.HandlerExited)).WaitAsync(Harness.Guard);
        h.Clock.Advance(period * 2);
        await h.Expect<WorkerStopped>(s => s.Reason == WorkerStopReason.Passivated);
        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("e", key: "k0")).OutcomeAsync());
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("a/b")]
    [InlineData("$reserved")]
    [InlineData("100%")]
    [InlineData("ключ")]
    public async Task Keys_that_are_not_valid_actor_names_are_encoded_and_still_reach_one_worker(string key)
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);

        Exchange first = await h.SendAsync("e", key: key);
        Exchange second = await h.SendAsync("e", key: key);

        Assert.Equal(RequestOutcome.Ok, await first.OutcomeAsync());
        Assert.Equal(2, second.Reply.Count);
        Assert.Equal(first.Reply.Path, second.Reply.Path);
        Assert.Equal(key, h.Gates.Contexts[second.Envelope.Request.RequestId].EntityKey);
    }

    [Fact]
    public async Task A_request_without_an_entity_key_is_rejected_as_client_error()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);

        Exchange x = h.Send("e", key: null);

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.ClientError, result.Outcome);
        Assert.Equal(400, Assert.IsType<ClientInputException>(result.Error).StatusCode);
    }

    [Fact]
    public async Task An_idle_entity_is_passivated_its_stop_hook_runs_and_the_next_request_gets_a_fresh_incarnation()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", passivateAfter: Idle)]);
        await h.SendAsync("e", key: "a");
        await h.SendAsync("e", key: "a");
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));

        h.Clock.Advance(Idle);

        WorkerStopped stopped = await h.Expect<WorkerStopped>(s => s.Path == "/user/routes/e/a");
        Assert.Equal(WorkerStopReason.Passivated, stopped.Reason);
        await h.Journal.WhenWritten("stopped /user/routes/e/a 1").WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("e", key: "a");
        Assert.Equal((1, 2), (next.Reply.Count, next.Reply.Incarnation));
    }

    [Fact]
    public async Task A_busy_entity_is_not_passivated_before_it_has_been_idle_a_full_period()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", passivateAfter: Idle)]);
        await h.SendAsync("e", key: "a");
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));
        h.Clock.Advance(Idle / 2);

        await h.SendAsync("e", key: "a");
        h.Clock.Advance(Idle / 2);
        Exchange third = await h.SendAsync("e", key: "a");

        Assert.Equal((3, 1), (third.Reply.Count, third.Reply.Incarnation));
        Assert.Equal(0, h.Journal.Count("stopped "));
    }

    [Fact]
    public async Task The_route_passivation_tick_passivates_idle_entities_and_leaves_one_with_a_request_running()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", passivateAfter: Idle)]);
        await h.SendAsync("e", key: "idle");
        Exchange running = h.Send("e", "wait", key: "busy", query: new Dictionary<string, string> { ["gate"] = "hold" });
        await h.Gates.WhenOpen("entered:hold").WaitAsync(Harness.Guard);

        h.Clock.Advance(Idle);

        WorkerStopped stopped = await h.Expect<WorkerStopped>(s => s.Path == "/user/routes/e/idle");
        Assert.Equal(WorkerStopReason.Passivated, stopped.Reason);
        h.Gates.Open("hold");
        Assert.Equal(RequestOutcome.Ok, await running.OutcomeAsync());
        Exchange again = await h.SendAsync("e", key: "busy");
        Assert.Equal((2, 1), (again.Reply.Count, again.Reply.Incarnation));
        Assert.Equal(0, h.Journal.Count("stopped /user/routes/e/busy"));
    }

    [Fact]
    public async Task Requests_arriving_while_an_entity_passivates_wait_and_are_served_by_its_successor()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", passivateAfter: Idle)]);
        await h.SendAsync("e", key: "slowstop-1");
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));
        h.Clock.Advance(Idle);
        await h.Journal.WhenWritten("stopping /user/routes/e/slowstop-1 1").WaitAsync(Harness.Guard);

        // The entity is inside its stop hook: these must neither be dropped nor reach the stopping instance.
        Exchange[] during = [h.Send("e", key: "slowstop-1"), h.Send("e", key: "slowstop-1"), h.Send("e", key: "slowstop-1")];
        Exchange other = await h.SendAsync("e", key: "other");
        Assert.All(during, x => Assert.False(x.Envelope.IsCompleted));
        h.Gates.Open("release-stop:slowstop-1");

        for (int i = 0; i < during.Length; i++)
        {
            Assert.Equal(RequestOutcome.Ok, await during[i].OutcomeAsync());
            Assert.Equal((i + 1, 2), (during[i].Reply.Count, during[i].Reply.Incarnation));
        }

        Assert.Equal(RequestOutcome.Ok, await other.OutcomeAsync());
    }

    [Fact]
    public async Task Restart_of_an_entity_keeps_its_address_and_serves_queued_requests_with_the_fresh_instance()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "a");
        Exchange failing = h.Send("e", "wait-then-throw", key: "a", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("e", key: "a");

        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        Assert.Equal(RequestOutcome.Ok, await queued.OutcomeAsync());
        Assert.Equal((1, 2), (queued.Reply.Count, queued.Reply.Incarnation));
        Assert.Equal("/user/routes/e/a", queued.Reply.Path);
    }
}
