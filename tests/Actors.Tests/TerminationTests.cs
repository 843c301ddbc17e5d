using System.Collections.Concurrent;
using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class TerminationTests
{
    private static readonly TimeSpan Bound = TaskGuard.Bound;

    [Fact]
    public async Task Escalation_reaching_the_root_terminates_the_system_with_the_original_exception()
    {
        var system = ActorSystem.Create("esc", new ActorSystemSettings { UserGuardianStrategy = new OneForOneStrategy(_ => Directive.Escalate) });
        var actor = system.ActorOf(Props.Create<Thrower>(), "worker");
        actor.Tell("throw");

        var reason = await system.WhenTerminated.WaitAsync(Bound);
        Assert.Equal(TerminationKind.Escalated, reason.Kind);
        var e = Assert.IsType<InvalidOperationException>(reason.Exception);
        Assert.Equal("from the worker", e.Message);
        Assert.Contains(nameof(Thrower.ThrowFromDeepInside), e.StackTrace, StringComparison.Ordinal);
        Assert.Equal("/user/worker", reason.FailedActor!.ToString());
        Assert.False(reason.TimedOut);
        Assert.Contains("Escalated from /user/worker", reason.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalation_from_a_grandchild_reports_where_it_originated()
    {
        var system = ActorSystem.Create("esc", new ActorSystemSettings { UserGuardianStrategy = new OneForOneStrategy(_ => Directive.Escalate) });
        var route = system.ActorOf(Props.Create(() => new Wrapper(Props.Create<Thrower>())).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate)), "route");
        var worker = await route.Ask<IActorRef>("child", Bound);
        worker.Tell("throw");
        var reason = await system.WhenTerminated.WaitAsync(Bound);
        Assert.Equal(TerminationKind.Escalated, reason.Kind);
        Assert.Equal("/user/route/worker", reason.FailedActor!.ToString());
    }

    [Fact]
    public async Task Terminate_stops_children_before_parents_and_runs_every_PostStop()
    {
        var log = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("stop");
        var leaf = Props.Create(() => new LifecycleRecorder(log, "leaf", null));
        var mid = Props.Create(() => new LifecycleRecorder(log, "mid", leaf));
        var top = system.ActorOf(Props.Create(() => new LifecycleRecorder(log, "top", mid)), "top");
        await top.Ask<object>("ping", Bound);
        var sub = system.EventStream.Subscribe<ActorStarted>();
        while (system.Resolve(ActorPath.Parse("/user/top/child/child")) is null)
        {
            await sub.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        }

        var reason = await system.Terminate().WaitAsync(Bound);
        Assert.Equal(TerminationKind.Normal, reason.Kind);
        var stops = log.Where(e => e.Contains("PostStop", StringComparison.Ordinal)).ToList();
        Assert.Equal(["leaf:PostStop#1", "mid:PostStop#1", "top:PostStop#1"], stops);
        Assert.Equal(ActorState.Stopped, system.Inspect(top)!.State);
        Assert.Throws<ActorSystemTerminatedException>(() => system.ActorOf(Props.Create<EchoActor>()));
    }

    [Fact]
    public async Task Termination_is_bounded_by_the_termination_timeout_in_real_time_even_on_a_manual_clock()
    {
        // The bound is for actors whose threads do not come back; a virtual clock cannot free them, so a manual clock
        // that nobody advances must not make termination wait forever.
        var clock = new ManualTimeProvider();
        var system = ActorSystem.Create("slow", new ActorSystemSettings { TimeProvider = clock, TerminationTimeout = TimeSpan.FromMilliseconds(200) });
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = system.ActorOf(Props.Create(() => new BlockingPostStop(release, entered)), "stuck");
        await stuck.Ask<string>("ready", Bound);

        var terminated = system.Terminate();
        await entered.Task.WaitAsync(Bound);
        Assert.Equal(0, clock.PendingTimerCount); // nothing of the shutdown waits on the manual clock
        var reason = await terminated.WaitAsync(Bound);
        Assert.True(reason.TimedOut);
        release.Set();
    }

    [Fact]
    public async Task Stopping_the_user_guardian_terminates_the_system()
    {
        var system = ActorSystem.Create("guardian");
        system.Stop(system.UserGuardian);
        Assert.Equal(TerminationKind.Normal, (await system.WhenTerminated.WaitAsync(Bound)).Kind);
    }

    [Fact]
    public async Task Event_stream_readers_complete_when_the_system_terminates()
    {
        var system = ActorSystem.Create("events");
        var sub = system.EventStream.Subscribe<ActorEvent>();
        await system.Terminate().WaitAsync(Bound);
        var stopped = 0;
        await foreach (var e in sub.ReadAllAsync().WithCancellation(new CancellationTokenSource(Bound).Token))
        {
            stopped += e is ActorStopped ? 1 : 0;
        }

        Assert.Equal(3, stopped); // /user, /system, /
    }

    [Fact]
    public void Invalid_system_names_and_settings_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("has space"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActorSystem.Create("ok", new ActorSystemSettings { Throughput = 0 }));
    }

    private sealed class Thrower : UntypedActor
    {
        protected override void OnReceive(object message) => ThrowFromDeepInside();

        internal static void ThrowFromDeepInside() => throw new InvalidOperationException("from the worker");
    }

    private sealed class Wrapper : ReceiveActor
    {
        public Wrapper(Props child)
        {
            var worker = Context.ActorOf(child, "worker");
            Receive<string>(_ => Sender.Tell(worker));
        }
    }

    private sealed class BlockingPostStop(ManualResetEventSlim release, TaskCompletionSource entered) : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);

        protected override void PostStop()
        {
            entered.TrySetResult();
            release.Wait(TaskGuard.Bound);
        }
    }
}
