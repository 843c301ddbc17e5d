using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class TimerTests : TestKit.TestKit
{
    public TimerTests()
        : base(clock: new ManualTimeProvider())
    {
    }

    [Fact]
    public void Receive_timeout_fires_after_the_idle_period_on_the_system_clock()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Idle(probe.Ref)), "idle");
        probe.ExpectMsg("armed");
        Clock!.Advance(TimeSpan.FromSeconds(29));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Clock.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg("timeout");
        Assert.NotNull(actor);
    }

    [Fact]
    public void A_message_resets_the_receive_timeout()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Idle(probe.Ref)), "idle");
        probe.ExpectMsg("armed");
        Clock!.Advance(TimeSpan.FromSeconds(20));
        actor.Tell("ping", probe.Ref);
        probe.ExpectMsg("pong");

        // The timeout restarts after the handler returns, which is after "pong" was sent: wait for the turn's end.
        Assert.True(SpinWait.SpinUntil(() => !((ActorCell)actor).IsScheduled, TaskGuard.Bound), "the actor's turn never ended");
        Clock.Advance(TimeSpan.FromSeconds(20));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Clock.Advance(TimeSpan.FromSeconds(10));
        probe.ExpectMsg("timeout");
    }

    [Fact]
    public void An_idle_actor_hears_the_receive_timeout_again_after_each_further_idle_period()
    {
        var probe = CreateTestProbe();
        ActorOf(Props.Create(() => new StaysIdle(probe.Ref)), "idle");
        probe.ExpectMsg("armed");

        for (int period = 1; period <= 3; period++)
        {
            // The timer is re-armed when the previous ReceiveTimeout's turn ends: wait for it before moving the clock.
            Assert.True(Clock!.WaitForPendingTimers(1, TaskGuard.Bound), $"the receive timeout was not armed for period {period}");
            Clock.Advance(TimeSpan.FromSeconds(30));
            probe.ExpectMsg("timeout");
        }
    }

    [Fact]
    public void Scheduler_delivers_once_and_repeatedly_until_cancelled()
    {
        var probe = CreateTestProbe();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), probe.Ref, "once");
        using var repeated = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), probe.Ref, "tick");
        Clock!.Advance(TimeSpan.FromSeconds(1));
        probe.ExpectMsg("tick");
        Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(["once", "tick", "tick", "tick", "tick"], Enumerable.Range(0, 5).Select(_ => (string)probe.ReceiveOne()).Order());
        repeated.Dispose();
        Clock.Advance(TimeSpan.FromSeconds(10));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(30));
            probe.Tell("armed");
            Receive<ReceiveTimeout>(_ =>
            {
                probe.Tell("timeout");
                Context.SetReceiveTimeout(null);
            });
            Receive<string>(_ => Sender.Tell("pong"));
        }
    }

    /// <summary>Keeps its receive timeout set and only reports each ReceiveTimeout.</summary>
    private sealed class StaysIdle : ReceiveActor
    {
        public StaysIdle(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(30));
            probe.Tell("armed");
            Receive<ReceiveTimeout>(_ => probe.Tell("timeout"));
        }
    }
}
