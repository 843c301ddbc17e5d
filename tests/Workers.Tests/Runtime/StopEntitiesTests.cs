using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

/// <summary><see cref="IEntityControl.StopEntitiesAsync"/> on a real runtime: what the cluster uses to give shards up.</summary>
public class StopEntitiesTests
{
    [Fact]
    public async Task Only_the_entities_whose_key_matches_are_stopped_and_their_stop_hooks_ran_when_the_task_completes()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "a1");
        await h.SendAsync("e", key: "a2");
        await h.SendAsync("e", key: "b1");
        await h.SendAsync("e", key: "b1");

        await h.Runtime.StopEntitiesAsync(key => key.StartsWith('a'), CancellationToken.None).WaitAsync(Harness.Guard);

        // No waiting on the journal: the stop hooks must already have run.
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/a1 1"));
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/a2 1"));
        Assert.Equal(0, h.Journal.Count("stopped /user/routes/e/b1"));

        Exchange b1 = await h.SendAsync("e", key: "b1");
        Assert.Equal((3, 1), (b1.Reply.Count, b1.Reply.Incarnation));
    }

    [Fact]
    public async Task A_stopped_key_gets_a_fresh_incarnation_on_its_next_request()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "a");
        await h.SendAsync("e", key: "a");

        await h.Runtime.StopEntitiesAsync(key => key == "a", CancellationToken.None).WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("e", key: "a");

        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal((1, 2), (next.Reply.Count, next.Reply.Incarnation));
        Assert.Equal("/user/routes/e/a", next.Reply.Path);
    }

    [Fact]
    public async Task Matching_entities_of_every_entity_route_stop_and_pool_workers_are_left_alone()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e"), Harness.Entity("f"), Harness.Pool("p", instances: 2)]);
        await h.SendAsync("e", key: "x");
        await h.SendAsync("f", key: "x");
        await h.SendAsync("f", key: "y");
        await h.SendAsync("p");

        await h.Runtime.StopEntitiesAsync(key => key == "x", CancellationToken.None).WaitAsync(Harness.Guard);

        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/x 1"));
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/f/x 1"));
        Assert.Equal(0, h.Journal.Count("stopped /user/routes/f/y"));
        Assert.Equal(0, h.Journal.Count("stopped /user/routes/p/"));
        Exchange pool = await h.SendAsync("p");
        Assert.Equal(RequestOutcome.Ok, await pool.OutcomeAsync());
        Assert.Equal(1, pool.Reply.Incarnation);
    }

    [Fact]
    public async Task The_task_does_not_complete_before_a_slow_stop_hook_has_finished()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "slowstop1");

        Task stopping = h.Runtime.StopEntitiesAsync(key => key == "slowstop1", CancellationToken.None);
        await h.Journal.WhenWritten("stopping /user/routes/e/slowstop1 1").WaitAsync(Harness.Guard);

        Assert.False(stopping.IsCompleted);
        h.Gates.Open("release-stop:slowstop1");

        await stopping.WaitAsync(Harness.Guard);
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/slowstop1 1"));
    }

    [Fact]
    public async Task It_completes_at_once_when_no_entity_matches()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "a");

        await h.Runtime.StopEntitiesAsync(_ => false, CancellationToken.None).WaitAsync(Harness.Guard);

        Assert.Equal(0, h.Journal.Count("stopped "));
        Exchange a = await h.SendAsync("e", key: "a");
        Assert.Equal((2, 1), (a.Reply.Count, a.Reply.Incarnation));
    }

    [Fact]
    public async Task It_completes_at_once_when_there_are_no_entities_or_no_entity_routes()
    {
        await using Harness entities = await Harness.StartAsync([Harness.Entity("e")]);
        await entities.Runtime.StopEntitiesAsync(_ => true, CancellationToken.None).WaitAsync(Harness.Guard);

        await using Harness pools = await Harness.StartAsync([Harness.Pool("p")]);
        await pools.SendAsync("p");
        await pools.Runtime.StopEntitiesAsync(_ => true, CancellationToken.None).WaitAsync(Harness.Guard);

        Assert.Equal(0, entities.Journal.Count("stopped "));
        Assert.Equal(0, pools.Journal.Count("stopped "));
    }

    [Fact]
    public async Task A_request_in_progress_finishes_on_the_old_incarnation_and_one_arriving_during_the_stop_gets_the_new_one()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        Exchange running = h.Send("e", "wait", key: "a", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        Task stopping = h.Runtime.StopEntitiesAsync(key => key == "a", CancellationToken.None);
        Exchange arriving = h.Send("e", key: "a");

        Assert.False(stopping.IsCompleted);
        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.Ok, await running.OutcomeAsync());
        Assert.Equal((1, 1), (running.Reply.Count, running.Reply.Incarnation));
        await stopping.WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.Ok, await arriving.OutcomeAsync());
        Assert.Equal((1, 2), (arriving.Reply.Count, arriving.Reply.Incarnation));
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/a 1"));
    }

    [Fact]
    public async Task Cancelling_stops_the_waiting_but_not_the_stop()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        await h.SendAsync("e", key: "slowstop2");
        using var cancel = new CancellationTokenSource();

        Task stopping = h.Runtime.StopEntitiesAsync(key => key == "slowstop2", cancel.Token);
        await h.Journal.WhenWritten("stopping /user/routes/e/slowstop2 1").WaitAsync(Harness.Guard);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopping.WaitAsync(Harness.Guard));
        h.Gates.Open("release-stop:slowstop2");
        await h.Journal.WhenWritten("stopped /user/routes/e/slowstop2 1").WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("e", key: "slowstop2");
        Assert.Equal(2, next.Reply.Incarnation);
    }

    [Fact]
    public async Task A_null_selector_is_refused_clearly()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);

        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Runtime.StopEntitiesAsync(null!, CancellationToken.None));
    }

    [Fact]
    public async Task With_notice_a_running_handler_sees_its_shutdown_token_fire_ends_and_the_entity_stops()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        Exchange other = h.Send("e", "until-shutdown", key: "b", query: new Dictionary<string, string> { ["gate"] = "gb" });
        Exchange running = h.Send("e", "until-shutdown", key: "a", query: new Dictionary<string, string> { ["gate"] = "ga" });
        await h.Gates.WhenOpen("entered:ga").WaitAsync(Harness.Guard);
        await h.Gates.WhenOpen("entered:gb").WaitAsync(Harness.Guard);

        await h.Runtime.StopEntitiesWithNoticeAsync(key => key == "a", TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(Harness.Guard);

        // Told, it ended by itself (no clock moved, so nothing was cancelled) and the entity stopped.
        Assert.Equal(RequestOutcome.Ok, await running.OutcomeAsync());
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/a 1"));

        // Only the stopped entity was told: the other one still runs.
        Assert.False(other.Envelope.Completion.IsCompleted);
        Assert.Equal(0, h.Journal.Count("stopped /user/routes/e/b"));
        await h.Runtime.StopEntitiesWithNoticeAsync(key => key == "b", TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.Ok, await other.OutcomeAsync());
    }

    [Fact]
    public async Task With_notice_a_handler_that_ignores_it_is_cancelled_after_the_bound_and_only_then_the_task_completes()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);
        Exchange running = h.Send("e", "wait", key: "a", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        Task stopping = h.Runtime.StopEntitiesWithNoticeAsync(key => key == "a", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        Assert.False(running.Envelope.Completion.IsCompleted);

        h.Clock.Advance(TimeSpan.FromSeconds(5));

        await stopping.WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.ShutdownAborted, await running.OutcomeAsync());
        Assert.Equal(1, h.Journal.Count("stopped /user/routes/e/a 1"));
    }
}
