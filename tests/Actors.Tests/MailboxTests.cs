namespace ActorHost.Actors.Tests;

public sealed class MailboxTests : TestKit.TestKit
{
    [Fact]
    public async Task Bounded_reject_mailbox_throws_to_the_teller_and_faults_the_asker()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Gate(gate.Task)).WithMailbox(MailboxOptions.Bounded(2)), "bounded");
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        actor.Tell("a", probe.Ref);
        actor.Tell("b", probe.Ref);

        var e = Assert.Throws<MailboxFullException>(() => actor.Tell("c", probe.Ref));
        Assert.Contains("/user/bounded", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MailboxFullException>(() => actor.Ask<string>("d", DefaultTimeout).Guard());

        gate.SetResult();
        probe.ExpectMsg("a");
        probe.ExpectMsg("b");
        Assert.Equal("e", await actor.Ask<string>("e", DefaultTimeout).Guard());
    }

    [Fact]
    public async Task Bounded_back_pressure_mailbox_makes_the_asker_wait_for_space()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Gate(gate.Task)).WithMailbox(MailboxOptions.Bounded(1, MailboxOverflow.BackPressure)), "bp");
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        actor.Tell("a", probe.Ref);

        var waiting = actor.Ask<string>("b", DefaultTimeout);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, Sys.Inspect(actor)!.MailboxDepth);
        Assert.Throws<MailboxFullException>(() => actor.Tell("c")); // Tell cannot wait

        gate.SetResult();
        probe.ExpectMsg("a");
        Assert.Equal("b", await waiting.Guard());
    }

    [Fact]
    public async Task A_waiting_back_pressure_ask_fails_when_the_actor_stops()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Gate(gate.Task)).WithMailbox(MailboxOptions.Bounded(1, MailboxOverflow.BackPressure)), "bp");
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        var queued = actor.Ask<string>("a", DefaultTimeout);
        var waiting = actor.Ask<string>("b", DefaultTimeout);
        Sys.Stop(actor);
        await Assert.ThrowsAsync<ActorStoppedException>(() => queued.Guard());
        await Assert.ThrowsAsync<ActorStoppedException>(() => waiting.Guard());
    }

    [Fact]
    public void Bounded_capacity_must_be_positive()
        => Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Bounded(0));

    [Fact]
    public void Throughput_limits_messages_per_turn_without_losing_any()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create<EchoActor>().WithThroughput(1), "t1");
        for (var i = 0; i < 50; i++)
        {
            actor.Tell(i, probe.Ref);
        }

        for (var i = 0; i < 50; i++)
        {
            probe.ExpectMsg(i);
        }
    }

    private sealed class Gate : ReceiveActor
    {
        public Gate(Task gate)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                Sender.Tell("holding");
                await gate;
            });
            ReceiveAny(m => Sender.Tell(m));
        }
    }
}
