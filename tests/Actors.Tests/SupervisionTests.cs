using System.Collections.Concurrent;
using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class SupervisionTests : TestKit.TestKit
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public SupervisionTests()
        : base(clock: new ManualTimeProvider())
    {
    }

    [Fact]
    public async Task Resume_keeps_the_instance_and_its_state()
    {
        var child = ChildActorOf(Props.Create<CountingActor>(), new OneForOneStrategy(_ => Directive.Resume));
        Assert.Equal(1, await child.Ask<int>("x", DefaultTimeout));
        child.Tell(new Boom(new FormatException()));
        Assert.Equal(2, await child.Ask<int>("x", DefaultTimeout));
        Assert.Equal(1, await child.Ask<int>("incarnation", DefaultTimeout));
        ExpectFailure(child, Directive.Resume);
        Events.ExpectNone<ActorRestarted>();
    }

    [Fact]
    public async Task Restart_replaces_the_instance_with_a_fresh_one()
    {
        var child = ChildActorOf(Props.Create<CountingActor>(), SupervisorStrategy.DefaultStrategy);
        Assert.Equal(1, await child.Ask<int>("x", DefaultTimeout));
        child.Tell(new Boom(new InvalidOperationException()));
        Assert.Equal(1, await child.Ask<int>("x", DefaultTimeout));
        Assert.Equal(2, ExpectRestart(child).Incarnation);
    }

    [Fact]
    public async Task Stop_turns_queued_messages_into_dead_letters_and_notifies_watchers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = ChildActorOf(Props.Create(() => new Gated(gate.Task)), SupervisorStrategy.StoppingStrategy, "gated");
        var probe = CreateTestProbe();
        probe.Watch(child);
        child.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        child.Tell(new Boom(new InvalidOperationException("fatal")));
        child.Tell("q1", probe.Ref);
        child.Tell("q2", probe.Ref);
        gate.SetResult();

        probe.ExpectTerminated(child);
        Assert.Equal("q1", ExpectDeadLetter(d => d.Recipient.Equals(child)).Message);
        Assert.Equal("q2", ExpectDeadLetter(d => d.Recipient.Equals(child)).Message);
        ExpectFailure(child, Directive.Stop);
        await Assert.ThrowsAsync<ActorStoppedException>(() => child.Ask<object>("late", DefaultTimeout).Guard());
    }

    [Fact]
    public async Task AllForOne_restarts_every_sibling()
    {
        var parent = ActorOf(Props.Create(() => new Parent(2)).WithSupervisorStrategy(new AllForOneStrategy(_ => Directive.Restart)), "parent");
        var a = await parent.Ask<IActorRef>("child-0", DefaultTimeout);
        var b = await parent.Ask<IActorRef>("child-1", DefaultTimeout);
        a.Tell(new Boom(new InvalidOperationException()));
        Assert.Equal(2, ExpectRestart(a).Incarnation);
        Assert.Equal(2, ExpectRestart(b).Incarnation);
        Assert.Equal(1, Events.Count<ActorFailed>());
        Assert.Null(Events.All<ActorRestarted>(e => e.Path == b.Path)[0].Cause.InnerException);
    }

    [Fact]
    public async Task AllForOne_decides_once_when_a_sibling_fails_before_the_restart_reaches_it()
    {
        // A budget of one restart: a second decision for b's failure, which belongs to the incarnation the first
        // decision already restarts, would exhaust it and stop both children.
        using var hold = new ManualResetEventSlim();
        var log = new ConcurrentQueue<string>();
        var strategy = new AllForOneStrategy(1, null, _ => Directive.Restart);
        var parent = ActorOf(Props.Create(() => new HoldingParent(hold, log)).WithSupervisorStrategy(strategy), "parent");
        var a = await parent.Ask<IActorRef>("a", DefaultTimeout);
        var b = await parent.Ask<IActorRef>("b", DefaultTimeout);
        var probe = CreateTestProbe();
        parent.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");

        // Both fail while the parent can decide nothing: whichever failure it reads first restarts both.
        var askA = a.Ask<object>(new Boom(new InvalidOperationException("a failed")), DefaultTimeout);
        var askB = b.Ask<object>(new Boom(new InvalidOperationException("b failed")), DefaultTimeout);
        AwaitCondition(
            () => Sys.Inspect(a)!.State == ActorState.Failed && Sys.Inspect(b)!.State == ActorState.Failed,
            message: "both children should have failed");
        hold.Set();

        Assert.Equal(Directive.Restart, (await Assert.ThrowsAsync<AskFailedException>(() => askA.Guard())).Directive);
        Assert.Equal(Directive.Restart, (await Assert.ThrowsAsync<AskFailedException>(() => askB.Guard())).Directive);
        ExpectRestarts(a, 1);
        ExpectRestarts(b, 1);
        Assert.Equal("ping", await a.Ask<string>("ping", DefaultTimeout).Guard());
        Assert.Equal("ping", await b.Ask<string>("ping", DefaultTimeout).Guard());
        Assert.Equal(2, Sys.Inspect(a)!.Incarnation);
        Assert.Equal(2, Sys.Inspect(b)!.Incarnation);
        Assert.Single(log, e => e.StartsWith("a:PreRestart", StringComparison.Ordinal));
        Assert.Single(log, e => e.StartsWith("b:PreRestart", StringComparison.Ordinal));
        Events.ExpectNone<RetriesExhausted>();
        Assert.All(Events.All<ActorFailed>(), e => Assert.Equal(Directive.Restart, e.Directive));
        Assert.Equal(2, Events.Count<ActorFailed>());
    }

    [Fact]
    public async Task AllForOne_restart_ordered_while_a_sibling_still_waits_for_its_stopped_children_is_joined_to_it()
    {
        using var release = new ManualResetEventSlim();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var parent = ActorOf(Props.Create(() => new Parent(1)).WithSupervisorStrategy(new AllForOneStrategy(_ => Directive.Restart)), "parent");
        var a = await parent.Ask<IActorRef>("child-0", DefaultTimeout);
        var b = await parent.Ask<IActorRef>((string.Empty, Props.Create(() => new ParentOfSlowStopper(release, stopping))), DefaultTimeout);
        Assert.Equal(1, await b.Ask<int>("incarnation", DefaultTimeout));

        // First decision: b's PreRestart stops its child, whose PostStop holds b between instances.
        a.Tell(new Boom(new InvalidOperationException("first")));
        await stopping.Task.Guard();
        ExpectRestart(a);

        // Second decision while b still waits: b is told to suspend and restart again.
        a.Tell(new Boom(new InvalidOperationException("second")));
        ExpectFailure(a, Directive.Restart);
        ExpectFailure(a, Directive.Restart);
        await parent.Ask<IActorRef>("child-0", DefaultTimeout).Guard(); // the parent has sent both orders to b
        release.Set();

        // b ends up running (not left suspended), restarted once for both decisions: its pending restart builds the
        // instance after the second decision anyway.
        Assert.Equal(2, await b.Ask<int>("incarnation", DefaultTimeout).Guard());
        Assert.Equal(3, await a.Ask<int>("incarnation", DefaultTimeout).Guard());
        ExpectRestarts(b, 1);
        Assert.Equal(ActorState.Running, Sys.Inspect(b)!.State);
    }

    [Fact]
    public async Task AllForOne_stop_stops_every_sibling_and_resume_resumes_only_the_failed_one()
    {
        var parent = ActorOf(Props.Create(() => new Parent(2)).WithSupervisorStrategy(new AllForOneStrategy(e => e is FormatException ? Directive.Resume : Directive.Stop)), "parent");
        var a = await parent.Ask<IActorRef>("child-0", DefaultTimeout);
        var b = await parent.Ask<IActorRef>("child-1", DefaultTimeout);
        a.Tell(new Boom(new FormatException()));
        ExpectFailure(a, Directive.Resume);
        Assert.Equal(1, await b.Ask<int>("x", DefaultTimeout));
        Assert.Equal(1, await a.Ask<int>("x", DefaultTimeout));

        b.Tell(new Boom(new InvalidOperationException()));
        ExpectStopped(a);
        ExpectStopped(b);
    }

    [Fact]
    public async Task Exceeding_max_retries_within_the_window_stops_the_child_and_reports_it()
    {
        var strategy = new OneForOneStrategy(2, Minute, _ => Directive.Restart);
        var child = ChildActorOf(Props.Create<CountingActor>(), strategy, "flaky");
        for (var i = 0; i < 2; i++)
        {
            child.Tell(new Boom(new InvalidOperationException($"f{i}")));
            ExpectRestart(child);
            Clock!.Advance(TimeSpan.FromSeconds(10));
        }

        child.Tell(new Boom(new InvalidOperationException("f2")));
        var exhausted = Events.Expect<RetriesExhausted>();
        Assert.Equal(child.Path, exhausted.Path);
        Assert.Equal(2, exhausted.MaxNrOfRetries);
        ExpectFailure(child, Directive.Stop);
        ExpectStopped(child);
        await Assert.ThrowsAsync<ActorStoppedException>(() => child.Ask<int>("x", DefaultTimeout).Guard());
    }

    [Fact]
    public async Task Failures_outside_the_window_start_a_new_window()
    {
        var strategy = new OneForOneStrategy(2, Minute, _ => Directive.Restart);
        var child = ChildActorOf(Props.Create<CountingActor>(), strategy, "flaky");
        for (var i = 0; i < 6; i++)
        {
            child.Tell(new Boom(new InvalidOperationException()));
            ExpectRestart(child);
            Clock!.Advance(TimeSpan.FromSeconds(45)); // two failures per window at most
            if (i % 2 == 1)
            {
                Clock.Advance(Minute);
            }
        }

        Assert.Equal(7, await child.Ask<int>("incarnation", DefaultTimeout));
        Events.ExpectNone<RetriesExhausted>();
    }

    [Fact]
    public void Zero_retries_means_stop_on_first_restart()
    {
        var child = ChildActorOf(Props.Create<CountingActor>(), new OneForOneStrategy(0, null, _ => Directive.Restart));
        child.Tell(new Boom(new InvalidOperationException()));
        ExpectFailure(child, Directive.Stop);
        Events.Expect<RetriesExhausted>();
        ExpectStopped(child);
    }

    [Fact]
    public void Retries_without_a_window_count_forever()
    {
        var child = ChildActorOf(Props.Create<CountingActor>(), new OneForOneStrategy(3, null, _ => Directive.Restart));
        for (var i = 0; i < 3; i++)
        {
            child.Tell(new Boom(new InvalidOperationException()));
            ExpectRestart(child);
            Clock!.Advance(TimeSpan.FromDays(1));
        }

        child.Tell(new Boom(new InvalidOperationException()));
        ExpectStopped(child);
    }

    [Fact]
    public async Task Escalate_chains_up_two_levels_with_the_original_exception()
    {
        // top (restarts its children) <- middle (escalates) <- bottom (escalates) <- leaf (fails)
        var top = ActorOf(Props.Create(() => new Parent(1)).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)), "top");
        var middle = await top.Ask<IActorRef>("child-0", DefaultTimeout);
        Sys.Stop(middle);
        ExpectStopped(middle);
        middle = await top.Ask<IActorRef>(("spawn", Props.Create(() => new Parent(1)).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate))), DefaultTimeout);
        var bottom = await middle.Ask<IActorRef>(("spawn", Props.Create(() => new Parent(0)).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate))), DefaultTimeout);
        var leaf = await bottom.Ask<IActorRef>(("spawn", Props.Create<CountingActor>()), DefaultTimeout);

        var original = new InvalidOperationException("deep");
        var ask = leaf.Ask<int>(new Boom(original), TimeSpan.FromMinutes(10));

        var leafFailure = ExpectFailure(leaf, Directive.Escalate);
        var bottomFailure = ExpectFailure(bottom, Directive.Escalate);
        var middleFailure = ExpectFailure(middle, Directive.Restart);
        Assert.Same(original, leafFailure.Exception);
        Assert.Same(original, bottomFailure.Exception);
        Assert.Same(original, middleFailure.Exception);
        Assert.Equal(bottom.Path, Events.Expect<ActorEscalated>(e => e.Child == leaf.Path).Path);
        Assert.Equal(middle.Path, Events.Expect<ActorEscalated>(e => e.Child == bottom.Path).Path);
        ExpectRestart(middle);

        var askFailure = await Assert.ThrowsAsync<AskFailedException>(() => ask.Guard());
        Assert.Equal(Directive.Escalate, askFailure.Directive);
        Assert.Same(original, askFailure.InnerException);

        // The restarted middle stopped its old children (default PreRestart).
        ExpectStopped(leaf);
        ExpectStopped(bottom);
    }

    [Fact]
    public async Task Resume_after_escalation_resumes_the_whole_subtree()
    {
        var middle = ChildActorOf(Props.Create(() => new Parent(1)).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate)), new OneForOneStrategy(_ => Directive.Resume), "middle");
        var leaf = await middle.Ask<IActorRef>("child-0", DefaultTimeout);
        Assert.Equal(1, await leaf.Ask<int>("x", DefaultTimeout));
        leaf.Tell(new Boom(new InvalidOperationException()));
        ExpectFailure(middle, Directive.Resume);
        Assert.Equal(2, await leaf.Ask<int>("x", DefaultTimeout));
        Assert.NotNull(await middle.Ask<IActorRef>("child-0", DefaultTimeout));
    }

    [Fact]
    public void Decider_is_consulted_for_async_failures_too()
    {
        var child = ChildActorOf(Props.Create<AsyncThrower>(), new OneForOneStrategy(e => e is TimeoutException ? Directive.Stop : Directive.Restart));
        child.Tell("restart-me");
        ExpectRestart(child);
        child.Tell("stop-me");
        ExpectFailure(child, Directive.Stop);
        ExpectStopped(child);
    }

    [Fact]
    public void Kill_stops_with_the_default_decider()
    {
        var child = ChildActorOf(Props.Create<CountingActor>(), SupervisorStrategy.DefaultStrategy);
        child.Tell(Kill.Instance);
        Assert.IsType<ActorKilledException>(ExpectFailure(child, Directive.Stop).Exception);
        ExpectStopped(child);
    }

    [Fact]
    public async Task A_throwing_decider_escalates()
    {
        var middle = ChildActorOf(
            Props.Create(() => new Parent(1)).WithSupervisorStrategy(new OneForOneStrategy(_ => throw new InvalidOperationException("decider bug"))),
            new OneForOneStrategy(_ => Directive.Stop),
            "middle");
        var leaf = await middle.Ask<IActorRef>("child-0", DefaultTimeout);
        leaf.Tell(new Boom(new FormatException("x")));
        Assert.IsType<FormatException>(ExpectFailure(middle, Directive.Stop).Exception);
    }

    [Fact]
    public async Task A_childs_failure_while_its_parent_waits_to_restart_is_decided_by_the_parents_own_strategy()
    {
        // Between the failed instance and the new one (the parent waits for the child its PreRestart stopped) there
        // is no instance to ask for SupervisorStrategy(): the failed instance's strategy stays in force, as in Akka.
        var slowStopping = new ManualResetEventSlim();
        var releaseSlow = new ManualResetEventSlim();
        var keeperBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var keeperOutcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var parent = ActorOf(Props.Create(() => new StoppingParent(slowStopping, releaseSlow, keeperBusy, keeperOutcome)), "parent");
            var keeper = await parent.Ask<IActorRef>("keeper", DefaultTimeout);
            keeper.Tell("work");
            await keeperBusy.Task.WaitAsync(DefaultTimeout);

            parent.Tell(new Boom(new InvalidOperationException("parent fails")));
            Assert.True(slowStopping.Wait(DefaultTimeout), "the parent's PreRestart did not stop the slow child");
            keeperOutcome.SetException(new FormatException("keeper fails")); // the default strategy would restart it

            Assert.Equal(Directive.Stop, ExpectFailure(keeper).Directive);
        }
        finally
        {
            releaseSlow.Set();
        }
    }

    /// <summary>Creates N CountingActor children; "child-i" returns child i; ("spawn", props) creates one more.</summary>
    private sealed class HoldingParent : ReceiveActor
    {
        public HoldingParent(ManualResetEventSlim hold, ConcurrentQueue<string> log)
        {
            Context.ActorOf(Props.Create(() => new LifecycleRecorder(log, "a", null)), "a");
            Context.ActorOf(Props.Create(() => new LifecycleRecorder(log, "b", null)), "b");
            Receive<string>(s => s == "hold", _ =>
            {
                // Blocks the parent's turn: the failures of its children queue up undecided.
                Sender.Tell("holding");
                hold.Wait(TaskGuard.Bound);
            });
            Receive<string>(s => Sender.Tell(Context.Child(s)!));
        }
    }

    private sealed class ParentOfSlowStopper : ReceiveActor
    {
        public ParentOfSlowStopper(ManualResetEventSlim release, TaskCompletionSource stopping)
        {
            Context.ActorOf(Props.Create(() => new SlowStopper(release, stopping)), "slow");
            Receive<string>(s => s == "incarnation", _ => Sender.Tell(Context.Incarnation));
        }
    }

    private sealed class SlowStopper(ManualResetEventSlim release, TaskCompletionSource stopping) : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);

        protected override void PostStop()
        {
            stopping.TrySetResult();
            release.Wait(TaskGuard.Bound);
        }
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(int children)
        {
            for (var i = 0; i < children; i++)
            {
                Context.ActorOf(Props.Create<CountingActor>(), $"child-{i}");
            }

            Receive<string>(s => s.StartsWith("child-", StringComparison.Ordinal), s => Sender.Tell(Context.Child(s)!));
            Receive<(string, Props)>(t => Sender.Tell(Context.ActorOf(t.Item2, "spawned")));
        }
    }

    private sealed class Gated : ReceiveActor
    {
        public Gated(Task gate)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                Sender.Tell("holding");
                await gate;
            });
            Receive<Boom>(b => throw b.Exception);
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    private sealed class AsyncThrower : ReceiveActor
    {
        public AsyncThrower()
        {
            ReceiveAsync<string>(async s =>
            {
                await Task.Yield();
                throw s == "stop-me" ? new TimeoutException() : new InvalidOperationException();
            });
        }
    }

    /// <summary>Stops every failing child; its PreRestart stops only "slow", whose PostStop blocks until released.</summary>
    private sealed class StoppingParent : ReceiveActor
    {
        public StoppingParent(ManualResetEventSlim slowStopping, ManualResetEventSlim releaseSlow, TaskCompletionSource keeperBusy, TaskCompletionSource keeperOutcome)
        {
            if (Context.Child("keeper") is null)
            {
                Context.ActorOf(Props.Create(() => new AwaitingChild(keeperBusy, keeperOutcome.Task)), "keeper");
            }

            if (Context.Child("slow") is null)
            {
                Context.ActorOf(Props.Create(() => new SlowToStop(slowStopping, releaseSlow)), "slow");
            }

            Receive<Boom>(b => throw b.Exception);
            Receive<string>(name => Sender.Tell(Context.Child(name)!));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

        protected override void PreRestart(Exception reason, object? message) => Context.Stop(Context.Child("slow")!);
    }

    /// <summary>On any string: signals that it is busy, then awaits <c>outcome</c> (and fails if it faults).</summary>
    private sealed class AwaitingChild : ReceiveActor
    {
        public AwaitingChild(TaskCompletionSource busy, Task outcome)
            => ReceiveAsync<string>(async _ =>
            {
                busy.TrySetResult();
                await outcome;
            });
    }

    private sealed class SlowToStop(ManualResetEventSlim stopping, ManualResetEventSlim release) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }

        protected override void PostStop()
        {
            stopping.Set();
            release.Wait(TimeSpan.FromSeconds(30)); // a failure guard: the test releases it
        }
    }
}
