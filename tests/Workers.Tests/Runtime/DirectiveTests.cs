using ActorHost.Workers.Events;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Tests.Runtime;

public class DirectiveTests
{
    private static readonly Dictionary<string, string> Gate = new() { ["gate"] = "g" };

    private static SupervisionStrategyOptions Everything(string name, SupervisionDirective directive) =>
        Harness.Strategy(name, ("*", directive));

    [Fact]
    public async Task Restart_serves_the_next_request_with_a_fresh_instance_and_incarnation_plus_one()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        await h.SendAsync("p");
        await h.SendAsync("p");

        Exchange failing = await h.SendAsync("p", "throw");
        Exchange next = await h.SendAsync("p");

        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        Assert.Equal(1, next.Reply.Count);
        Assert.Equal(2, next.Reply.Incarnation);
        WorkerRestarted restarted = await h.Expect<WorkerRestarted>();
        Assert.Equal(2, restarted.Incarnation);
        Assert.Equal(typeof(InvalidOperationException).FullName, restarted.CauseType);
        await h.Journal.WhenWritten("stopped /user/routes/p/worker-1 1").WaitAsync(Harness.Guard);
    }

    [Fact]
    public async Task Restart_serves_requests_already_queued_with_the_fresh_instance()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange failing = h.Send("p", "wait-then-throw", query: Gate);
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange[] queued = [h.Send("p"), h.Send("p"), h.Send("p")];

        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        for (int i = 0; i < queued.Length; i++)
        {
            Assert.Equal(RequestOutcome.Ok, await queued[i].OutcomeAsync());
            Assert.Equal(2, queued[i].Reply.Incarnation);
            Assert.Equal(i + 1, queued[i].Reply.Count);
        }
    }

    [Fact]
    public async Task Resume_keeps_the_instance_and_its_state()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", strategy: "resume")], [Everything("resume", SupervisionDirective.Resume)]);
        await h.SendAsync("p");

        Exchange failing = await h.SendAsync("p", "throw");
        Exchange next = await h.SendAsync("p");

        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        Assert.Equal(3, next.Reply.Count);
        Assert.Equal(1, next.Reply.Incarnation);
        Assert.Equal(SupervisionDirective.Resume, (await h.Expect<WorkerFailed>()).Directive);
        Assert.Equal(0, h.Journal.Count("stopped "));
    }

    [Fact]
    public async Task Stop_answers_requests_queued_on_that_worker_with_worker_stopped()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 1, strategy: "stop")], [Everything("stop", SupervisionDirective.Stop)]);
        Exchange failing = h.Send("p", "wait-then-throw", query: Gate);
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange[] queued = [h.Send("p"), h.Send("p")];

        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.HandlerFailed, await failing.OutcomeAsync());
        foreach (Exchange q in queued)
        {
            Assert.Equal(RequestOutcome.WorkerStopped, await q.OutcomeAsync());
            await q.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        }

        WorkerStopped stopped = await h.Expect<WorkerStopped>();
        Assert.Equal(WorkerStopReason.Stopped, stopped.Reason);
        Assert.Equal(2, (await Task.WhenAll(queued.Select(q => h.Expect<RequestDeadLettered>(d => d.RequestId == q.Envelope.Request.RequestId)))).Length);

        // The pool has no worker left: new requests are answered worker_stopped at once.
        Exchange later = await h.SendAsync("p");
        Assert.Equal(RequestOutcome.WorkerStopped, await later.OutcomeAsync());
    }

    [Fact]
    public async Task A_pool_whose_last_worker_is_stopped_is_listed_without_live_workers_and_says_so_to_later_requests()
    {
        var log = new RecordingLogger();
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 2, strategy: "stop")], [Everything("stop", SupervisionDirective.Stop)], log: log);

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        IReadOnlyCollection<string> afterOne = h.Runtime.RoutesWithoutLiveWorkers;
        Exchange servedByTheOther = await h.SendAsync("p");
        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        IReadOnlyCollection<string> afterBoth = h.Runtime.RoutesWithoutLiveWorkers;
        RequestResult later = await (await h.SendAsync("p")).ResultAsync();

        Assert.Empty(afterOne);
        Assert.Equal(RequestOutcome.Ok, await servedByTheOther.OutcomeAsync());
        Assert.Equal(["p"], afterBoth);
        Assert.Equal(RequestOutcome.WorkerStopped, later.Outcome);
        NoLiveWorkersException noWorkers = Assert.IsType<NoLiveWorkersException>(later.Error);
        Assert.Equal(("p", 2), (noWorkers.Route, noWorkers.PoolSize));
        Assert.Contains("no live workers left (0 of 2)", noWorkers.Message, StringComparison.Ordinal);
        (LogLevel level, EventId id, IReadOnlyDictionary<string, object?> fields) = Assert.Single(log.Entries, e => e.EventId.Id == 4115);
        Assert.Equal((LogLevel.Warning, "PoolWithoutLiveWorkers"), (level, id.Name));
        Assert.Equal(("p", 2), ((string?)fields["Route"], (int?)fields["PoolSize"]));
    }

    [Fact]
    public async Task A_route_restart_rebuilds_a_pool_that_had_lost_every_worker()
    {
        // /user/routes restarts all of its route supervisors when one escalates: the emptied pool is rebuilt.
        SupervisionStrategyOptions restartAll = Everything("restart-all", SupervisionDirective.Restart) with { Type = StrategyKind.AllForOne };
        var log = new RecordingLogger();
        await using Harness h = await Harness.StartAsync(
            [Harness.Pool("p", strategy: "stop"), Harness.Pool("q", strategy: "escalate")],
            [Everything("stop", SupervisionDirective.Stop), restartAll],
            routeSupervisors: "restart-all",
            log: log);
        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        IReadOnlyCollection<string> emptied = h.Runtime.RoutesWithoutLiveWorkers;

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("q", "throw")).OutcomeAsync());
        IReadOnlyDictionary<string, object?> back = await log.WhenLogged(4116).WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("p");

        Assert.Equal(["p"], emptied);
        Assert.Equal(("p", 1, 1), ((string?)back["Route"], (int?)back["LiveWorkers"], (int?)back["PoolSize"]));
        Assert.Empty(h.Runtime.RoutesWithoutLiveWorkers);
        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal(2, next.Reply.Incarnation);
    }

    [Fact]
    public async Task Neither_a_route_restart_nor_a_shutdown_counts_as_a_pool_without_live_workers()
    {
        var log = new RecordingLogger();
        await using Harness h = await Harness.StartAsync(
            [Harness.Pool("p", instances: 2, strategy: "escalate")], routeSupervisors: "default", log: log);

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        await h.Expect<WorkerStarted>(s => s.Path == "/user/routes/p/worker-2" && s.Incarnation == 2);
        await h.Expect<WorkerStarted>(s => s.Path == "/user/routes/p/worker-1" && s.Incarnation == 2);
        IReadOnlyCollection<string> afterRestart = h.Runtime.RoutesWithoutLiveWorkers;
        await h.Runtime.StopAsync(Harness.Guard);

        Assert.Empty(afterRestart);
        Assert.Empty(h.Runtime.RoutesWithoutLiveWorkers);
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id is 4115 or 4116);
    }

    [Fact]
    public async Task Stop_in_entity_mode_makes_the_next_request_create_a_new_incarnation()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "stop")], [Everything("stop", SupervisionDirective.Stop)]);
        await h.SendAsync("e", key: "42");
        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("e", "throw", key: "42")).OutcomeAsync());
        await h.Expect<WorkerStopped>(s => s.Path == "/user/routes/e/42");

        Exchange next = await h.SendAsync("e", key: "42");

        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal(1, next.Reply.Count);
        Assert.Equal(2, next.Reply.Incarnation);
        Assert.Equal("/user/routes/e/42", next.Reply.Path);
    }

    [Fact]
    public async Task After_a_stop_a_request_sent_as_soon_as_the_failure_is_known_reaches_a_new_entity_incarnation()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "stop")], [Everything("stop", SupervisionDirective.Stop)]);
        for (int i = 1; i <= 20; i++)
        {
            Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("e", "throw", key: "k")).OutcomeAsync());

            Exchange next = await h.SendAsync("e", key: "k");

            Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
            Assert.Equal(i + 1, next.Reply.Incarnation);
            Assert.Equal(1, next.Reply.Count);
        }
    }

    [Fact]
    public async Task Escalate_with_the_default_route_supervisor_strategy_terminates_the_runtime_as_escalated()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", strategy: "escalate")]);

        Exchange failing = await h.SendAsync("p", "throw");

        RequestResult result = await failing.ResultAsync();
        Assert.Equal(RequestOutcome.HandlerFailed, result.Outcome);
        RuntimeTermination termination = await h.Runtime.WhenTerminated.WaitAsync(Harness.Guard);
        Assert.True(termination.Escalated);
        Assert.Same(result.Error, termination.Reason);
        FailureEscalated escalated = await h.Expect<FailureEscalated>(e => e.Path == "/user/routes/p");
        Assert.Equal("p", escalated.Route);
        Assert.Equal("/user/routes/p/worker-1", escalated.Child);
    }

    [Fact]
    public async Task Escalate_to_a_restarting_route_supervisor_strategy_restarts_the_whole_route()
    {
        await using Harness h = await Harness.StartAsync(
            [Harness.Pool("p", instances: 2, strategy: "escalate")], routeSupervisors: "default");
        await h.SendAsync("p");
        await h.SendAsync("p");

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        await h.Journal.WhenWritten("stopped /user/routes/p/worker-1 1").WaitAsync(Harness.Guard);
        await h.Journal.WhenWritten("stopped /user/routes/p/worker-2 1").WaitAsync(Harness.Guard);
        await h.ExpectCount<WorkerStarted>(4);

        Exchange next = await h.SendAsync("p");
        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal(1, next.Reply.Count);
        Assert.False(h.Runtime.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task After_an_escalation_restarts_an_entity_route_requests_for_its_old_entities_reach_fresh_ones()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "escalate")], routeSupervisors: "default");
        await h.SendAsync("e", key: "a");
        await h.SendAsync("e", key: "b");
        Assert.Equal(2, (await h.SendAsync("e", key: "b")).Reply.Count);

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("e", "throw", key: "a")).OutcomeAsync());
        await h.Journal.WhenWritten("stopped /user/routes/e/b 1").WaitAsync(Harness.Guard);

        // The directory of the route supervisor's previous incarnation is gone with its entities: the request is
        // not delivered to the stopped one (a dead letter, 503) but creates a fresh entity.
        Exchange next = await h.SendAsync("e", key: "b");
        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal(1, next.Reply.Count);
        Assert.DoesNotContain(h.Events, e => e is RequestDeadLettered);
        Assert.False(h.Runtime.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task After_a_route_restart_a_recreated_entity_continues_the_incarnation_count_of_its_key()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "escalate")], routeSupervisors: "default");
        Assert.Equal(1, (await h.SendAsync("e", key: "b")).Reply.Incarnation);

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("e", "throw", key: "a")).OutcomeAsync());
        await h.Journal.WhenWritten("stopped /user/routes/e/b 1").WaitAsync(Harness.Guard);
        Exchange b = await h.SendAsync("e", key: "b");
        Exchange a = await h.SendAsync("e", key: "a");

        // Fresh instances (their counts start again), so their incarnations go up as the README promises.
        Assert.Equal((1, 2), (b.Reply.Count, b.Reply.Incarnation));
        Assert.Equal((1, 2), (a.Reply.Count, a.Reply.Incarnation));
    }

    [Fact]
    public async Task After_a_route_restart_every_pool_worker_continues_its_incarnation_count()
    {
        await using Harness h = await Harness.StartAsync(
            [Harness.Pool("p", instances: 2, strategy: "escalate")], routeSupervisors: "default");

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        await h.ExpectCount<WorkerStarted>(4);
        ProbeReply[] replies = [(await h.SendAsync("p")).Reply, (await h.SendAsync("p")).Reply];

        Assert.Equal(["/user/routes/p/worker-1", "/user/routes/p/worker-2"], replies.Select(r => r.Path).Order());
        Assert.All(replies, r => Assert.Equal(2, r.Incarnation));
    }

    [Fact]
    public async Task Max_nr_of_retries_minus_one_is_no_limit_even_with_a_within_time_range()
    {
        // The kernel, as Akka, reads -1 with a window as one restart per window; the configuration promises no limit.
        SupervisionStrategyOptions unlimited = Everything("unlimited", SupervisionDirective.Restart)
            with { MaxNrOfRetries = -1, WithinTimeRange = TimeSpan.FromMinutes(1) };
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", strategy: "unlimited")], [unlimited]);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        }

        Exchange next = await h.SendAsync("p");
        Assert.Equal(RequestOutcome.Ok, await next.OutcomeAsync());
        Assert.Equal(4, next.Reply.Incarnation);
        Assert.All(await h.ExpectCount<WorkerFailed>(3), f => Assert.Equal(SupervisionDirective.Restart, f.Directive));
        Assert.DoesNotContain(h.Events, e => e is WorkerRetriesExhausted);
    }

    [Fact]
    public async Task Exhausted_retry_budget_stops_the_worker_and_queued_requests_get_worker_stopped()
    {
        var budget = new SupervisionStrategyOptions
        {
            Name = "budget", MaxNrOfRetries = 1, WithinTimeRange = TimeSpan.FromMinutes(1),
            Decider = [new DeciderRule("*", SupervisionDirective.Restart)],
        };
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", strategy: "budget")], [budget]);

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());
        Assert.Equal(2, (await h.SendAsync("p")).Reply.Incarnation);
        Exchange second = h.Send("p", "wait-then-throw", query: Gate);
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("p");
        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.HandlerFailed, await second.OutcomeAsync());
        Assert.Equal(RequestOutcome.WorkerStopped, await queued.OutcomeAsync());
        WorkerRetriesExhausted exhausted = await h.Expect<WorkerRetriesExhausted>();
        Assert.Equal(1, exhausted.MaxNrOfRetries);
        Assert.Equal(2, exhausted.Incarnation);
        Assert.Equal(SupervisionDirective.Stop, (await h.Expect<WorkerFailed>(f => f.Incarnation == 2)).Directive);
    }

    [Fact]
    public async Task All_for_one_on_a_pool_restarts_every_sibling()
    {
        var allForOne = new SupervisionStrategyOptions
        {
            Name = "all", Type = StrategyKind.AllForOne, Decider = [new DeciderRule("*", SupervisionDirective.Restart)],
        };
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 3, strategy: "all")], [allForOne]);
        for (int i = 0; i < 3; i++)
        {
            await h.SendAsync("p");
        }

        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p", "throw")).OutcomeAsync());

        for (int n = 1; n <= 3; n++)
        {
            await h.Expect<WorkerRestarted>(r => r.Path == $"/user/routes/p/worker-{n}" && r.Incarnation == 2);
        }

        for (int i = 0; i < 3; i++)
        {
            Exchange x = await h.SendAsync("p");
            Assert.Equal(2, x.Reply.Incarnation);
            Assert.Equal(1, x.Reply.Count);
        }
    }

    [Fact]
    public async Task Decider_rules_pick_the_most_specific_exception_type()
    {
        SupervisionStrategyOptions strategy = Harness.Strategy("mixed",
            ("System.ArgumentException", SupervisionDirective.Resume),
            ("System.SystemException", SupervisionDirective.Restart),
            ("*", SupervisionDirective.Stop));
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", strategy: "mixed")], [strategy]);

        await h.SendAsync("p", "throw", query: new Dictionary<string, string> { ["ex"] = "argument" });
        Assert.Equal(SupervisionDirective.Resume, (await h.Expect<WorkerFailed>()).Directive);
        await h.SendAsync("p", "throw", query: new Dictionary<string, string> { ["ex"] = "format" });
        Assert.Equal(SupervisionDirective.Restart, (await h.Expect<WorkerFailed>(f => f.Exception is FormatException)).Directive);
    }
}
