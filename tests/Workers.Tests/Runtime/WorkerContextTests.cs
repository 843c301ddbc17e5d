using ActorHost.Actors;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class WorkerContextTests
{
    [Fact]
    public async Task The_context_describes_the_live_incarnation()
    {
        await using Harness h = await Harness.StartAsync([Harness.Entity("e")]);

        Exchange x = await h.SendAsync("e", key: "7");

        WorkerContext context = h.Gates.Contexts[x.Envelope.Request.RequestId];
        Assert.Equal(("e", "/user/routes/e/7", "7", 1), (context.Route, context.Path, context.EntityKey, context.Incarnation));
        Assert.False(context.IsStale);

        // An entity's token is its own (it also fires when the entity is stopped with notice) and follows the runtime's.
        CancellationToken shutdown = context.ShutdownToken;
        Assert.False(shutdown.IsCancellationRequested);
        h.Runtime.SignalShutdown();
        Assert.True(shutdown.IsCancellationRequested);
    }

    [Fact]
    public async Task A_context_used_after_its_incarnation_was_restarted_away_throws_StaleIncarnationException()
    {
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")]);
        Exchange first = await h.SendAsync("p");
        WorkerContext old = h.Gates.Contexts[first.Envelope.Request.RequestId];

        await h.SendAsync("p", "throw");
        Exchange next = await h.SendAsync("p");

        Assert.Equal(2, next.Reply.Incarnation);
        Assert.True(old.IsStale);
        StaleIncarnationException e = Assert.Throws<StaleIncarnationException>(() => old.Incarnation);
        Assert.Contains("stale incarnation", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, e.Incarnation);
        Assert.Throws<StaleIncarnationException>(() => old.ShutdownToken);
        Assert.Throws<StaleIncarnationException>(() => old.EntityKey);
        Assert.Throws<StaleIncarnationException>(() => old.Route);
        Assert.False(h.Gates.Contexts[next.Envelope.Request.RequestId].IsStale);
    }

    [Fact]
    public async Task A_context_of_a_stopped_entity_is_stale_and_its_successor_counts_on()
    {
        await using Harness h = await Harness.StartAsync(
            [Harness.Entity("e", passivateAfter: TimeSpan.FromSeconds(30))]);
        Exchange first = await h.SendAsync("e", key: "k");
        WorkerContext old = h.Gates.Contexts[first.Envelope.Request.RequestId];
        Assert.True(h.Clock.WaitForPendingTimers(1, Harness.Guard));
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        await h.Journal.WhenWritten("stopped /user/routes/e/k 1").WaitAsync(Harness.Guard);

        Exchange next = await h.SendAsync("e", key: "k");

        StaleIncarnationException e = Assert.Throws<StaleIncarnationException>(() => old.Path);
        Assert.Equal(1, e.Incarnation);
        Assert.Equal(2, h.Gates.Contexts[next.Envelope.Request.RequestId].Incarnation);
    }
}
