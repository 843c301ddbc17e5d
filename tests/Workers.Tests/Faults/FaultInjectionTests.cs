using System.Collections.Concurrent;
using ActorHost.Actors;
using ActorHost.Workers.Events;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Tests.Faults;

public class FaultInjectionTests
{
    private static FaultOptions Faults(params FaultRule[] rules) => new() { Enabled = true, Seed = 7, Rules = rules };

    [Fact]
    public async Task Before_handle_fails_exactly_the_nth_call_with_the_chosen_exception()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.BeforeHandle, Nth = 2, Exception = "System.FormatException", Message = "boom" }));

        Exchange[] calls = [await h.SendAsync("p"), await h.SendAsync("p"), await h.SendAsync("p"), await h.SendAsync("p")];

        Assert.Equal([RequestOutcome.Ok, RequestOutcome.HandlerFailed, RequestOutcome.Ok, RequestOutcome.Ok], await Task.WhenAll(calls.Select(c => c.OutcomeAsync())));
        RequestResult failed = await calls[1].ResultAsync();
        Assert.Equal("boom", Assert.IsType<FormatException>(failed.Error).Message);
        Assert.Equal(2, calls[2].Reply.Incarnation);
        Assert.Equal(0, h.Journal.Count($"handling {calls[1].Envelope.Request.RequestId} "));
        FaultRuleStatus status = Assert.Single(h.Runtime.Faults.Rules);
        Assert.Equal((4L, 1L), (status.Calls, status.Fired));
    }

    [Fact]
    public async Task Every_nth_fails_calls_n_2n_3n()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Every = 3 }));

        var outcomes = new List<RequestOutcome>();
        for (int i = 0; i < 9; i++)
        {
            outcomes.Add(await (await h.SendAsync("p")).OutcomeAsync());
        }

        Assert.Equal([2, 5, 8], outcomes.Select((o, i) => (o, i)).Where(x => x.o == RequestOutcome.HandlerFailed).Select(x => x.i));
    }

    [Fact]
    public void A_seeded_probability_repeats_the_same_choices()
    {
        var rule = new FaultRule { Probability = 0.3 };
        string Run()
        {
            var injector = new FaultInjector(new FaultOptions { Enabled = true, Seed = 42, Rules = [rule] });
            var fired = new char[200];
            for (int i = 0; i < fired.Length; i++)
            {
                using RequestEnvelope envelope = injector.CreateEnvelope(Request(), new MemorySink());
                fired[i] = injector.OnHandle(envelope, "p", "/user/routes/p/worker-1", "worker-1") is null ? '.' : 'x';
            }

            return new string(fired);
        }

        string first = Run();
        Assert.Equal(first, Run());
        int count = first.Count(c => c == 'x');
        Assert.InRange(count, 30, 90);
    }

    [Fact]
    public void A_rule_without_a_trigger_fires_on_every_call_and_a_probability_of_zero_on_none()
    {
        var always = new FaultRule { Route = "always" };
        var paused = new FaultRule { Route = "paused", Probability = 0 };
        var injector = new FaultInjector(new FaultOptions { Enabled = true, Seed = 42, Rules = [always, paused] });

        string Fired(string route)
        {
            var fired = new char[50];
            for (int i = 0; i < fired.Length; i++)
            {
                using RequestEnvelope envelope = injector.CreateEnvelope(Request(), new MemorySink());
                fired[i] = injector.OnHandle(envelope, route, $"/user/routes/{route}/worker-1", "worker-1") is null ? '.' : 'x';
            }

            return new string(fired);
        }

        Assert.Equal(new string('x', 50), Fired("always"));
        Assert.Equal(new string('.', 50), Fired("paused"));
        FaultRuleStatus pausedStatus = Assert.Single(injector.Rules, r => r.Rule.Route == "paused");
        Assert.Equal((50L, 0L), (pausedStatus.Calls, pausedStatus.Fired));
    }

    [Fact]
    public async Task Constructor_fault_is_an_initialization_failure_that_stops_the_worker_by_default()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")],
            faults: Faults(new FaultRule { Point = FaultPoint.Constructor, Worker = "k", Nth = 1 }));

        Exchange first = await h.SendAsync("e", key: "k");
        Exchange second = await h.SendAsync("e", key: "k");

        Assert.Equal(RequestOutcome.WorkerStopped, await first.OutcomeAsync());
        WorkerFailed failed = await h.Expect<WorkerFailed>();
        Assert.IsAssignableFrom<ActorInitializationException>(failed.Exception);
        Assert.Equal(SupervisionDirective.Stop, failed.Directive);
        Assert.Equal(RequestOutcome.Ok, await second.OutcomeAsync());
        Assert.Equal(2, second.Reply.Incarnation);
    }

    [Fact]
    public async Task Entity_stopped_because_its_constructor_failed_is_reported_stopped_once()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")],
            faults: Faults(new FaultRule { Point = FaultPoint.Constructor, Worker = "k", Nth = 1 }));

        Exchange first = await h.SendAsync("e", key: "k");
        WorkerStopped stopped = await h.Expect<WorkerStopped>();
        Exchange second = await h.SendAsync("e", key: "k");
        await h.Expect<WorkerStarted>(e => e.Incarnation == 2);

        // The failed instance is dropped by the kernel (no PostStop), yet its stop is reported like any other;
        // the events of the next incarnation come after it, so a second report would already be here.
        Assert.Equal(RequestOutcome.WorkerStopped, await first.OutcomeAsync());
        Assert.Equal(("e", 1, WorkerStopReason.Stopped), (stopped.Route, stopped.Incarnation, stopped.Reason));
        Assert.Equal(
            ["WorkerFailed", "WorkerStopped", "WorkerStarted"],
            h.Events.Where(e => e.Path == stopped.Path && e is WorkerFailed or WorkerStopped or WorkerStarted).Select(e => e.GetType().Name));
        Assert.Equal(RequestOutcome.Ok, await second.OutcomeAsync());
    }

    [Fact]
    public async Task Pool_worker_stopped_because_its_restart_failed_is_reported_stopped()
    {
        // Constructor calls: 1 is the worker's start, 2 the restart after the handler's failure.
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(
                new FaultRule { Point = FaultPoint.BeforeHandle, Nth = 1 },
                new FaultRule { Point = FaultPoint.Constructor, Nth = 2 }));

        Exchange failed = await h.SendAsync("p");
        WorkerStopped stopped = await h.Expect<WorkerStopped>();

        Assert.Equal(RequestOutcome.HandlerFailed, await failed.OutcomeAsync());
        Assert.Equal(("p", "/user/routes/p/worker-1", 2, WorkerStopReason.Stopped), (stopped.Route, stopped.Path, stopped.Incarnation, stopped.Reason));
        IReadOnlyList<WorkerFailed> decisions = await h.ExpectCount<WorkerFailed>(2);
        Assert.Equal([SupervisionDirective.Restart, SupervisionDirective.Stop], decisions.Select(d => d.Directive));
        Assert.IsType<PostRestartException>(decisions[1].Exception);
    }

    [Fact]
    public async Task Constructor_fault_is_restarted_when_a_rule_names_its_exception_type()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "ctor")],
            [Harness.Strategy("ctor", ("System.InvalidOperationException", SupervisionDirective.Restart), ("*", SupervisionDirective.Restart))],
            faults: Faults(new FaultRule { Point = FaultPoint.Constructor, Nth = 1 }));

        Exchange first = await h.SendAsync("e", key: "k");

        Assert.Equal(RequestOutcome.Ok, await first.OutcomeAsync());
        Assert.Equal(2, first.Reply.Incarnation);
        Assert.Equal(SupervisionDirective.Restart, (await h.Expect<WorkerFailed>()).Directive);
    }

    [Fact]
    public async Task After_bytes_at_zero_flushes_the_started_response_before_it_fails()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 0 }));

        Exchange x = h.Send("p", "write-forever");

        // A sink may send the status line with the first write; the fault stops that write, so it flushes instead.
        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.Equal("", x.Sink.BodyText);
        Assert.Equal(1, x.Sink.Flushes);
    }

    [Fact]
    public async Task After_bytes_fails_once_the_bytes_went_out_so_the_outcome_is_failed_after_start()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 3 }));

        Exchange x = h.Send("p", "write-forever");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.IsType<InvalidOperationException>(result.Error);
        Assert.Equal("xxx", x.Sink.BodyText);
        Assert.True(x.Sink.Flushes >= 1);
        Assert.Equal(3, x.Envelope.Response.BytesWritten);
        await h.Expect<WorkerFailed>();
    }

    [Fact]
    public async Task After_bytes_fails_at_the_end_when_the_handler_wrote_less()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 1000 }));

        Exchange x = await h.SendAsync("p", "bytes", query: new Dictionary<string, string> { ["n"] = "10" });

        Assert.Equal(RequestOutcome.FailedAfterStart, await x.OutcomeAsync());
        Assert.Equal(10, x.Sink.Body.Length);
        Assert.False(x.Sink.Completed);

        // The response never ended cleanly, so it is cut off: a host must not end it normally either.
        Assert.True(x.Sink.Aborted);
        Assert.Equal(ResponseState.Aborted, x.Envelope.Response.State);
    }

    [Theory]
    [InlineData("System.IO.IOException")]
    [InlineData("System.IO.EndOfStreamException")]
    [InlineData("System.OperationCanceledException")]
    [InlineData("System.ObjectDisposedException")]
    public async Task An_after_bytes_fault_of_any_exception_type_is_a_supervised_failure_after_start(string exception)
    {
        // Types a sink throws when the peer is gone; injected by after-bytes they are a handler failure all the same
        // (only on-write stands for a peer reset).
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 3, Exception = exception }));

        Exchange x = h.Send("p", "write-forever");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.Equal(exception, result.Error!.GetType().FullName);
        Assert.Null(x.Envelope.Response.PeerClosedBy);
        Assert.Equal(exception, (await h.Expect<WorkerFailed>()).Exception.GetType().FullName);
    }

    [Theory]
    [InlineData("System.IO.IOException")]
    [InlineData("System.OperationCanceledException")]
    public async Task An_after_bytes_fault_of_a_peer_gone_type_at_the_end_of_a_short_response_cuts_it_off(string exception)
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.AfterBytes, AfterBytes = 1000, Exception = exception }));

        Exchange x = await h.SendAsync("p", "bytes", query: new Dictionary<string, string> { ["n"] = "10" });

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.Equal(exception, result.Error!.GetType().FullName);
        Assert.True(x.Sink.Aborted);
        await h.Expect<WorkerFailed>();
    }

    [Fact]
    public async Task On_write_looks_exactly_like_a_peer_reset_and_is_not_a_failure()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.OnWrite, AfterBytes = 2, Message = "reset" }));

        Exchange x = h.Send("p", "write-forever");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.PeerClosed, result.Outcome);
        Assert.Equal("reset", Assert.IsType<IOException>(x.Envelope.Response.PeerClosedBy).Message);
        Assert.Equal(2, x.Envelope.Response.BytesWritten);
        await x.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Assert.Equal(1, (await h.SendAsync("p")).Reply.Incarnation);
        Assert.DoesNotContain(h.Events, e => e is WorkerFailed);
    }

    [Fact]
    public async Task Hang_ignores_cancellation_until_the_incarnation_is_retired()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.Hang, Nth = 1 }));
        Exchange hung = h.Send("p");
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard)); // the hang is waiting on its bound

        hung.Envelope.Cancel(RequestOutcome.Timeout);
        Assert.False(hung.Envelope.HandlerExited.IsCompleted);
        hung.Envelope.TryComplete(new RequestResult(RequestOutcome.Timeout));
        h.Runtime.ReportStuck(hung.Envelope);

        await hung.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Assert.IsType<TimeoutException>((await h.Expect<WorkerFailed>()).Exception);
        await h.Expect<AbandonedHandlerEnded>();
        Assert.Equal(2, (await h.SendAsync("p")).Reply.Incarnation);
    }

    [Fact]
    public async Task Hang_ends_on_its_own_after_the_hang_limit_by_failing_the_call()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Point = FaultPoint.Hang, Nth = 1, HangLimit = TimeSpan.FromMinutes(1), Exception = "System.TimeoutException" }));
        Exchange hung = h.Send("p");
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));

        h.Clock.Advance(TimeSpan.FromMinutes(1));

        RequestResult result = await hung.ResultAsync();
        Assert.Equal(RequestOutcome.HandlerFailed, result.Outcome);
        Assert.IsType<TimeoutException>(result.Error);
    }

    [Fact]
    public async Task Exit_code_rules_exit_the_process_through_the_exit_hook()
    {
        var exits = new ConcurrentQueue<int>();
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            faults: Faults(new FaultRule { Nth = 1, ExitCode = 3 }), exit: exits.Enqueue);

        await h.SendAsync("p");

        Assert.Equal([3], exits);
    }

    [Fact]
    public void An_exit_code_rule_logs_a_critical_line_before_it_ends_the_process()
    {
        var log = new RecordingLogger();
        var exits = new List<(int Code, int LinesLogged)>();
        var injector = new FaultInjector(Faults(new FaultRule { Route = "p", Point = FaultPoint.Constructor, ExitCode = 3 }),
            code => exits.Add((code, log.Entries.Count)), log);

        // The exit hook here returns, so the strike goes on to throw; a real exit never comes back.
        Assert.Throws<InvalidOperationException>(() => injector.OnConstructor("p", "/user/routes/p/worker-1", "worker-1"));

        Assert.Equal([(3, 1)], exits);
        (LogLevel level, EventId eventId, IReadOnlyDictionary<string, object?> fields) = Assert.Single(log.Entries);
        Assert.Equal((LogLevel.Critical, 4114, "InjectedExit"), (level, eventId.Id, eventId.Name));
        Assert.Equal((1, 3, "constructor", "/user/routes/p/worker-1", "p"),
            (fields["RuleId"], fields["ExitCode"], fields["Point"], fields["Path"], fields["Route"]));
    }

    [Fact]
    public async Task Rules_match_routes_and_workers_by_glob()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 2), Harness.Pool("q")],
            faults: Faults(new FaultRule { Route = "p", Worker = "/user/routes/p/worker-2" }));

        var outcomes = new List<(string Path, RequestOutcome Outcome)>();
        for (int i = 0; i < 4; i++)
        {
            Exchange x = await h.SendAsync("p");
            outcomes.Add((x.Envelope.Handler!.Path, await x.OutcomeAsync()));
        }

        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("q")).OutcomeAsync());
        Assert.All(outcomes, o => Assert.Equal(o.Path.EndsWith("worker-2", StringComparison.Ordinal), o.Outcome == RequestOutcome.HandlerFailed));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("100%")]
    public async Task A_worker_glob_naming_an_entity_key_matches_that_entity_not_its_encoded_actor_name(string key)
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")],
            faults: Faults(new FaultRule { Route = "e", Worker = key }));

        Exchange x = await h.SendAsync("e", key: key);

        Assert.Equal(RequestOutcome.HandlerFailed, await x.OutcomeAsync());
        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("e", key: "other")).OutcomeAsync());
    }

    [Fact]
    public async Task A_constructor_rule_naming_an_entity_key_fails_that_entity()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")],
            faults: Faults(new FaultRule { Route = "e", Worker = "a b", Point = FaultPoint.Constructor }));

        Exchange x = await h.SendAsync("e", key: "a b");

        Assert.Equal(RequestOutcome.WorkerStopped, await x.OutcomeAsync());
        Assert.IsAssignableFrom<ActorInitializationException>((await h.Expect<WorkerFailed>()).Exception);
    }

    [Fact]
    public async Task Rules_can_be_added_and_removed_at_run_time()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")], faults: Faults());

        int id = h.Runtime.Faults.Add(new FaultRule { Route = "p" });
        Assert.Equal(RequestOutcome.HandlerFailed, await (await h.SendAsync("p")).OutcomeAsync());
        Assert.True(h.Runtime.Faults.Remove(id));
        Assert.False(h.Runtime.Faults.Remove(id));

        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("p")).OutcomeAsync());
        Assert.Empty(h.Runtime.Faults.Rules);
    }

    [Fact]
    public void A_disabled_injector_refuses_rules_and_ignores_configured_ones()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = false, Rules = [new FaultRule()] });

        Assert.Empty(injector.Rules);
        Assert.Throws<InvalidOperationException>(() => injector.Add(new FaultRule()));
    }

    [Fact]
    public void An_invalid_rule_is_refused_with_every_problem()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true });

        ArgumentException e = Assert.Throws<ArgumentException>(() => injector.Add(new FaultRule
        {
            Nth = 1, Every = 2, Probability = 1.5, Exception = "System.NoSuchThing", ExitCode = 300,
        }));

        Assert.Contains("nth", e.Message);
        Assert.Contains("probability", e.Message);
        Assert.Contains("System.NoSuchThing", e.Message);
        Assert.Contains("exit-code", e.Message);
    }

    [Fact]
    public void A_hang_limit_longer_than_a_timer_can_wait_is_refused()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true });

        ArgumentException e = Assert.Throws<ArgumentException>(() => injector.Add(new FaultRule
        {
            Point = FaultPoint.Hang, HangLimit = FaultRule.MaxHangLimit + TimeSpan.FromMilliseconds(1),
        }));

        Assert.Contains("hang-limit: must be at most 49 days", e.Message);
        Assert.Equal(1, injector.Add(new FaultRule { Point = FaultPoint.Hang, HangLimit = FaultRule.MaxHangLimit }));
    }

    [Fact]
    public void A_rule_without_an_exception_type_is_refused_naming_the_field()
    {
        var injector = new FaultInjector(new FaultOptions { Enabled = true });

        ArgumentException e = Assert.Throws<ArgumentException>(() => injector.Add(new FaultRule { Exception = null! }));

        Assert.Contains("exception: an exception type name is required", e.Message);
    }

    private static WorkerRequest Request() => new() { RequestId = "r", Route = "p", Method = "GET", Path = "/p" };
}
