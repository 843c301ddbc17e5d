using ActorHost.Actors;
using ActorHost.Workers.Events;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class StuckHandlerTests
{
    [Fact]
    public async Task ReportStuck_fails_the_worker_with_a_TimeoutException_and_retires_the_hung_incarnation()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange hung = h.Send("p", "hang", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        WorkerContext hungContext = h.Gates.Contexts[hung.Envelope.Request.RequestId];

        // What the gateway does at the route timeout: cancel, answer 504 itself, and later report it stuck.
        hung.Envelope.Cancel(RequestOutcome.Timeout);
        Assert.True(hung.Envelope.Response.TrySeal());
        hung.Envelope.TryComplete(new RequestResult(RequestOutcome.Timeout));
        h.Runtime.ReportStuck(hung.Envelope);

        WorkerStuck stuck = await h.Expect<WorkerStuck>();
        Assert.Equal((hung.Envelope.Request.RequestId, 1), (stuck.RequestId, stuck.Incarnation));
        WorkerFailed failed = await h.Expect<WorkerFailed>();
        Assert.IsType<TimeoutException>(failed.Exception);
        Assert.Equal(SupervisionDirective.Restart, failed.Directive);
        await h.Expect<WorkerRestarted>(r => r.Incarnation == 2);

        Assert.True(hungContext.IsStale);
        StaleIncarnationException stale = Assert.Throws<StaleIncarnationException>(() => hungContext.Path);
        Assert.Contains("stale incarnation", stale.Message, StringComparison.OrdinalIgnoreCase);

        Exchange next = await h.SendAsync("p");
        Assert.Equal((1, 2), (next.Reply.Count, next.Reply.Incarnation));
        Assert.False(hung.Envelope.HandlerExited.IsCompleted);

        h.Gates.Open("g");
        await hung.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        await h.Expect<AbandonedHandlerEnded>(a => a.Incarnation == 1);
        Assert.Equal(RequestOutcome.Timeout, await hung.OutcomeAsync());
    }

    [Fact]
    public async Task ReportStuck_leaves_a_worker_alone_once_it_has_moved_on_from_that_request()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange done = await h.SendAsync("p");

        h.Runtime.ReportStuck(done.Envelope);
        Exchange next = await h.SendAsync("p");

        Assert.Equal((2, 1), (next.Reply.Count, next.Reply.Incarnation));
        Assert.DoesNotContain(h.Events, e => e is WorkerStuck or WorkerFailed);
    }

    [Fact]
    public async Task The_decider_sees_the_stuck_TimeoutException_so_a_route_may_stop_the_worker_instead()
    {
        SupervisionStrategyOptions strategy = Harness.Strategy("stuck-stops", ("System.TimeoutException", SupervisionDirective.Stop), ("*", SupervisionDirective.Restart));
        await using Harness h = await Harness.StartAsync([Harness.Entity("e", strategy: "stuck-stops")], [strategy]);
        Exchange hung = h.Send("e", "hang", key: "k", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("e", key: "k");

        hung.Envelope.Cancel(RequestOutcome.Timeout);
        hung.Envelope.TryComplete(new RequestResult(RequestOutcome.Timeout));
        h.Runtime.ReportStuck(hung.Envelope);

        Assert.Equal(SupervisionDirective.Stop, (await h.Expect<WorkerFailed>()).Directive);
        Assert.Equal(RequestOutcome.WorkerStopped, await queued.OutcomeAsync());
        Exchange next = await h.SendAsync("e", key: "k");
        Assert.Equal(2, next.Reply.Incarnation);
        h.Gates.Open("g");
    }
}
