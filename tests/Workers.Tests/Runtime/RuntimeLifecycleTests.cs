using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorHost.Actors;
using ActorHost.Workers.Diagnostics;
using ActorHost.Workers.Events;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class RuntimeLifecycleTests
{
    [Fact]
    public async Task StopAsync_runs_every_live_workers_stop_hook_then_terminates_normally()
    {
        Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 3), Harness.Entity("e")]);
        await h.SendAsync("e", key: "a");
        await h.SendAsync("e", key: "b");

        await h.Runtime.StopAsync(Harness.Guard);

        RuntimeTermination termination = await h.Runtime.WhenTerminated.WaitAsync(Harness.Guard);
        Assert.False(termination.Escalated);
        Assert.Null(termination.Reason);
        Assert.Equal(5, h.Journal.Count("stopped "));
        Assert.Equal(5, h.Journal.Count("disposed "));
        Assert.True(h.Runtime.ShutdownToken.IsCancellationRequested);
        IReadOnlyList<WorkerStopped> stopped = await h.ExpectCount<WorkerStopped>(5);
        Assert.All(stopped, s => Assert.Equal(WorkerStopReason.Shutdown, s.Reason));
        await h.DisposeAsync();
    }

    [Fact]
    public async Task A_request_dispatched_after_the_runtime_stopped_is_answered_worker_stopped_at_once()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        await h.Runtime.StopAsync(Harness.Guard);

        Exchange late = h.Send("p");

        Assert.True(late.Envelope.IsCompleted);
        Assert.Equal(RequestOutcome.WorkerStopped, await late.OutcomeAsync());
        Assert.True(late.Envelope.HandlerExited.IsCompleted);
    }

    [Fact]
    public async Task A_handler_still_running_when_the_runtime_stops_is_never_left_without_a_result()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange running = h.Send("p", "hang", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("p");

        await h.Runtime.StopAsync(Harness.Guard);

        Assert.Equal(RequestOutcome.ShutdownAborted, await running.OutcomeAsync());
        Assert.Equal(RequestOutcome.ShutdownAborted, running.Envelope.CancellationCause);
        Assert.Equal(RequestOutcome.WorkerStopped, await queued.OutcomeAsync());
        Assert.Equal(0, h.Runtime.InFlight);
        h.Gates.Open("g");
    }

    [Fact]
    public async Task SignalShutdown_fires_the_shutdown_token_workers_see()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange x = await h.SendAsync("p");
        WorkerContext context = h.Gates.Contexts[x.Envelope.Request.RequestId];
        Assert.False(context.ShutdownToken.IsCancellationRequested);

        h.Runtime.SignalShutdown();

        Assert.True(context.ShutdownToken.IsCancellationRequested);
        Assert.Equal(RequestOutcome.Ok, await (await h.SendAsync("p")).OutcomeAsync());
    }

    [Fact]
    public async Task Dispatching_to_an_unknown_route_is_a_caller_error()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);

        Assert.Throws<ArgumentException>(() => h.Send("nowhere"));
    }

    [Fact]
    public async Task A_full_bounded_mailbox_refuses_the_request_as_overloaded_naming_the_busy_worker()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")],
            mailbox: new WorkerMailboxOptions { Type = MailboxKind.Bounded, Capacity = 1 });
        Exchange busy = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("p");

        Exchange refused = h.Send("p");

        // The worker is alive and busy, not stopped: the outcome says so, and names it.
        RequestResult result = await refused.ResultAsync();
        Assert.Equal(RequestOutcome.Overloaded, result.Outcome);
        Assert.Equal(503, result.Outcome.GatewayStatus());
        Assert.IsType<MailboxFullException>(result.Error);
        Assert.Equal(new HandlerIdentity("/user/routes/p/worker-1", 1), refused.Envelope.Handler);
        Assert.True(refused.Envelope.HandlerExited.IsCompleted);
        h.Gates.Open("g");
        Assert.Equal(RequestOutcome.Ok, await queued.OutcomeAsync());
        Assert.Equal(RequestOutcome.Ok, await busy.OutcomeAsync());
        Assert.DoesNotContain(h.Events, e => e is WorkerStopped or WorkerFailed);
    }

    [Fact]
    public async Task A_throwing_stop_hook_is_reported_and_the_stop_goes_on()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("b", worker: "bad-stop")], workers: w => w.Add<BadStopWorker>("bad-stop"));
        await h.SendAsync("b", "throw");

        WorkerHookFailed hook = await h.Expect<WorkerHookFailed>();
        Assert.Equal(1, hook.Incarnation);
        Assert.Equal("stop hook broke", hook.Exception.Message);
        Assert.Equal(2, (await h.Expect<WorkerRestarted>()).Incarnation);
    }

    [Fact]
    public async Task Metrics_count_failures_by_directive_restarts_and_observe_live_workers_and_mailbox_depth()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p", instances: 2), Harness.Entity("e")]);
        var longs = new ConcurrentQueue<(string Name, long Value, string Tags)>();
        var ints = new ConcurrentQueue<(string Name, int Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == h.Runtime.Metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        var restartCounted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            longs.Enqueue((i.Name, v, Render(tags)));
            if (i.Name == "actorhost.worker.restarts")
            {
                restartCounted.TrySetResult();
            }
        });
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => ints.Enqueue((i.Name, v, Render(tags))));
        listener.Start();

        await h.SendAsync("e", key: "k");
        await h.SendAsync("p", "throw");
        await restartCounted.Task.WaitAsync(Harness.Guard);
        listener.RecordObservableInstruments();

        Assert.Equal(WorkerMetrics.MeterName, h.Runtime.Metrics.Meter.Name);
        Assert.Contains(longs, m => m is { Name: "actorhost.worker.failures", Value: 1 } && m.Tags == "directive=restart,route=p");
        Assert.Contains(longs, m => m is { Name: "actorhost.worker.restarts", Value: 1 } && m.Tags == "route=p");
        Assert.Contains(ints, m => m is { Name: "actorhost.worker.live", Value: 2 } && m.Tags == "route=p");
        Assert.Contains(ints, m => m is { Name: "actorhost.worker.live", Value: 1 } && m.Tags == "route=e");
        Assert.Contains(ints, m => m is { Name: "actorhost.worker.mailbox.depth", Value: 0 } && m.Tags == "route=p");
    }

    private static string Render(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        string.Join(",", tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    public sealed class BadStopWorker : RequestWorker
    {
        public override Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("fail");

        protected override void OnStopped() => throw new InvalidOperationException("stop hook broke");
    }
}
