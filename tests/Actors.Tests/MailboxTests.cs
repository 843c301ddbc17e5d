using System.Runtime.CompilerServices;

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

    [Fact]
    public void An_idle_mailbox_goes_back_to_its_own_node_and_keeps_none_of_a_past_message()
    {
        var counter = new StrongBox<int>();
        var actor = ActorOf(Props.Create(() => new Counter(counter)), "one-at-a-time");
        actor.Tell(Tick.Instance);
        var cell = (ActorCell)actor;
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref counter.Value) == 1 && !cell.IsScheduled, TaskGuard.Bound), "the actor never became idle");
        object stub = cell.UserQueueStub;

        // Each send wakes the idle actor and runs its turn on this thread before Run returns (see CallingThread), so
        // every message finds the mailbox empty and leaves it empty.
        for (var i = 0; i < 1000; i++)
        {
            CallingThread.Run(static a => a.Tell(Tick.Instance), actor);
        }

        Assert.Equal(1001, Volatile.Read(ref counter.Value));
        // A node kept from the last message would be a young object held by a long-lived cell, for every young
        // garbage collection to copy out.
        Assert.Same(stub, cell.UserQueueStub);
    }

    [Fact]
    public async Task Messages_from_many_producers_each_arrive_once_and_in_each_producers_order()
    {
        const int Producers = 4;
        const int PerProducer = 25_000;
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new SequenceChecker(Producers, PerProducer, done)), "many-producers");
        using var start = new Barrier(Producers);

        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerProducer; i++)
            {
                actor.Tell(new Sequenced(p, i));
            }
        }))];

        await Task.WhenAll(producers).Guard();
        Assert.Null(await done.Task.Guard());
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Sequenced(int Producer, int Number);

    private sealed class Counter(StrongBox<int> count) : UntypedActor
    {
        protected override void OnReceive(object message) => count.Value++;
    }

    /// <summary>Completes with null once every message arrived in order, or with what went wrong first.</summary>
    private sealed class SequenceChecker(int producers, int perProducer, TaskCompletionSource<string?> done) : UntypedActor
    {
        private readonly int[] _next = new int[producers];
        private int _received;

        protected override void OnReceive(object message)
        {
            var sequenced = (Sequenced)message;
            if (sequenced.Number != _next[sequenced.Producer])
            {
                done.TrySetResult($"producer {sequenced.Producer}: expected {_next[sequenced.Producer]}, got {sequenced.Number}");
            }

            _next[sequenced.Producer] = sequenced.Number + 1;
            if (++_received == producers * perProducer)
            {
                done.TrySetResult(null);
            }
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
