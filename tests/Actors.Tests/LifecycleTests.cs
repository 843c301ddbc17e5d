using System.Collections.Concurrent;

namespace ActorHost.Actors.Tests;

public sealed class LifecycleTests : TestKit.TestKit
{
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public async Task Restart_runs_Akka_hooks_in_order_and_hands_the_failed_message_to_PreRestart()
    {
        var actor = ActorOf(Props.Create(() => new LifecycleRecorder(_log)), "a");
        await actor.Ask<object>("hello", DefaultTimeout);
        actor.Tell(new Boom(new InvalidOperationException("bang")));
        ExpectRestart(actor);
        await actor.Ask<object>("after", DefaultTimeout);

        Assert.Equal(
            [
                "a:ctor#1", "a:PreStart#1", "a:receive#1:hello",
                "a:PreRestart#1:bang:Boom(bang)", "a:PostStop#1",
                "a:ctor#2", "a:PostRestart#2:bang", "a:PreStart#2",
                "a:receive#2:after",
            ],
            _log);
    }

    [Fact]
    public async Task Restart_waits_for_children_stopped_by_PreRestart_before_building_the_fresh_instance()
    {
        var childProps = Props.Create(() => new LifecycleRecorder(_log, "c", null));
        var parent = ActorOf(Props.Create(() => new LifecycleRecorder(_log, "p", childProps)), "p");
        await parent.Ask<object>("ping", DefaultTimeout);
        parent.Tell(new Boom(new InvalidOperationException("bang")));
        ExpectRestart(parent);
        Events.Expect<ActorStarted>(e => e.Path.ToString() == "/user/p/child" && e.Incarnation == 1);
        Events.Expect<ActorStarted>(e => e.Path.ToString() == "/user/p/child" && e.Incarnation == 1);

        var log = _log.ToList();
        int At(string entry) => log.IndexOf(entry) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"missing {entry} in {string.Join(", ", log)}");

        Assert.True(At("p:PreRestart#1:bang:Boom(bang)") < At("p:PostStop#1"));
        Assert.True(At("c:PostStop#1") < At("p:ctor#2"), "the old child must stop before the parent's fresh instance is built");
        Assert.True(At("p:ctor#2") < At("p:PostRestart#2:bang"));
        Assert.True(At("p:PostRestart#2:bang") < At("p:PreStart#2"));
        Assert.Equal(2, log.Count(e => e == "c:ctor#1"));
    }

    [Fact]
    public async Task Stop_stops_children_before_the_parent_PostStop()
    {
        var childProps = Props.Create(() => new LifecycleRecorder(_log, "c", null));
        var parent = ActorOf(Props.Create(() => new LifecycleRecorder(_log, "p", childProps)), "p");
        await parent.Ask<object>("ping", DefaultTimeout);
        Events.Expect<ActorStarted>(e => e.Path.ToString() == "/user/p/child");
        var probe = CreateTestProbe();
        probe.Watch(parent);
        Sys.Stop(parent);
        probe.ExpectTerminated(parent);

        var log = _log.ToList();
        Assert.True(log.IndexOf("c:PostStop#1") < log.IndexOf("p:PostStop#1"));
        Assert.Equal("p:PostStop#1", log[^1]);
    }

    [Fact]
    public async Task Failing_message_is_not_reprocessed_and_the_mailbox_survives_the_restart()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new GatedRecorder(_log, gate.Task)), "gated");
        var probe = CreateTestProbe();
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");

        // The actor is inside an async receive: these queue up behind it.
        actor.Tell(new Boom(new InvalidOperationException("bang")), probe.Ref);
        actor.Tell("m1", probe.Ref);
        actor.Tell("m2", probe.Ref);
        Assert.Equal(3, Sys.Inspect(actor)!.MailboxDepth);

        gate.SetResult();
        probe.ExpectMsg("m1#2");
        probe.ExpectMsg("m2#2");
        Assert.Equal(1, _log.Count(e => e.StartsWith("boom", StringComparison.Ordinal)));
        Assert.Contains("PreRestart:bang:Boom", _log);
        await Task.CompletedTask;
    }

    [Fact]
    public void Constructor_failure_stops_the_actor_by_default()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create<FailingConstructor>(), "broken");
        probe.Watch(actor);
        probe.ExpectTerminated(actor);
        var failed = ExpectFailure(actor, Directive.Stop);
        Assert.IsType<ActorInitializationException>(failed.Exception);
        Assert.IsType<ArgumentException>(failed.Exception.InnerException);
    }

    [Fact]
    public void PreStart_failure_is_an_initialization_failure()
    {
        var actor = ActorOf(Props.Create<FailingPreStart>(), "broken");
        var failed = ExpectFailure(actor, Directive.Stop);
        Assert.IsType<ActorInitializationException>(failed.Exception);
        ExpectStopped(actor);
    }

    [Fact]
    public void PostRestart_failure_is_a_PostRestartException_and_stops_by_default()
    {
        var actor = ActorOf(Props.Create<FailingPostRestart>(), "broken");
        actor.Tell(new Boom(new InvalidOperationException("first")));
        ExpectFailure(actor, Directive.Restart);
        var second = ExpectFailure(actor, Directive.Stop);
        var e = Assert.IsType<PostRestartException>(second.Exception);
        Assert.Equal("first", e.OriginalCause!.Message);
        ExpectStopped(actor);
    }

    [Fact]
    public async Task PreRestart_failure_is_reported_and_the_restart_proceeds()
    {
        var actor = ActorOf(Props.Create<FailingPreRestart>(), "a");
        actor.Tell(new Boom(new InvalidOperationException("x")));
        var hook = Events.Expect<LifecycleHookFailed>();
        Assert.Equal("PreRestart", hook.Hook);
        ExpectRestart(actor);
        Assert.Equal(2, await actor.Ask<int>("incarnation", DefaultTimeout));
    }

    [Fact]
    public async Task Props_factory_returning_the_same_instance_is_an_initialization_failure()
    {
        FailingConstructor? reused = null;
        var props = Props.Create(() => reused ??= new FailingConstructor(fail: false));
        var actor = ActorOf(props, "reuse");
        await actor.Ask<string>("ok", DefaultTimeout);
        actor.Tell(new Boom(new InvalidOperationException("x")));
        var failure = ExpectFailure(actor, Directive.Stop);
        Assert.Contains("new instance", failure.Exception.InnerException?.Message ?? failure.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incarnation_grows_with_each_restart()
    {
        var actor = ActorOf(Props.Create<CountingActor>(), "c");
        Assert.Equal(1, await actor.Ask<int>("incarnation", DefaultTimeout));
        actor.Tell(new Boom(new InvalidOperationException()));
        actor.Tell(new Boom(new InvalidOperationException()));
        Assert.Equal(3, await actor.Ask<int>("incarnation", DefaultTimeout));
        Assert.Equal(2, Sys.Inspect(actor)!.RestartCount);
    }

    private sealed class GatedRecorder : ReceiveActor
    {
        public GatedRecorder(ConcurrentQueue<string> log, Task gate)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                Sender.Tell("holding");
                await gate;
            });
            Receive<Boom>(b =>
            {
                log.Enqueue("boom");
                throw b.Exception;
            });
            Receive<string>(s => Sender.Tell($"{s}#{Context.Incarnation}"));
            Log = log;
        }

        private ConcurrentQueue<string> Log { get; }

        protected override void PreRestart(Exception reason, object? message)
        {
            Log.Enqueue($"PreRestart:{reason.Message}:{message?.GetType().Name}");
            base.PreRestart(reason, message);
        }
    }

    private sealed class FailingConstructor : ReceiveActor
    {
        public FailingConstructor()
            : this(fail: true)
        {
        }

        public FailingConstructor(bool fail)
        {
            if (fail)
            {
                throw new ArgumentException("bad constructor");
            }

            Receive<Boom>(b => throw b.Exception);
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    private sealed class FailingPreStart : UntypedActor
    {
        protected override void PreStart() => throw new InvalidOperationException("no start");

        protected override void OnReceive(object message)
        {
        }
    }

    private sealed class FailingPostRestart : ReceiveActor
    {
        public FailingPostRestart() => Receive<Boom>(b => throw b.Exception);

        protected override void PostRestart(Exception reason) => throw new InvalidOperationException("post restart");
    }

    private sealed class FailingPreRestart : ReceiveActor
    {
        public FailingPreRestart()
        {
            Receive<Boom>(b => throw b.Exception);
            Receive<string>(_ => Sender.Tell(Context.Incarnation));
        }

        protected override void PreRestart(Exception reason, object? message) => throw new InvalidOperationException("pre restart");
    }

    [Fact]
    public void A_producer_builds_a_fresh_instance_for_every_incarnation()
    {
        var producer = new CountingProducer();
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(producer), "produced");
        actor.Tell("x", probe.Ref);
        probe.ExpectMsg(1);

        actor.Tell(new Boom(new InvalidOperationException("boom")));
        ExpectRestart(actor);
        actor.Tell("x", probe.Ref);

        probe.ExpectMsg(1);
        Assert.Equal(2, producer.Produced);
    }

    private sealed class CountingProducer : IActorProducer<CountingActor>
    {
        private int _produced;

        public int Produced => Volatile.Read(ref _produced);

        public CountingActor Produce()
        {
            Interlocked.Increment(ref _produced);
            return new CountingActor();
        }
    }
}
