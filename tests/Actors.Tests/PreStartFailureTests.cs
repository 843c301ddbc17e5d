using System.Collections.Concurrent;

namespace ActorHost.Actors.Tests;

/// <summary>
/// An instance whose PreStart threw never started: whatever the supervisor decides, it gets no message and none of
/// the hooks of a started instance (PreRestart, PostStop); resume and restart build a new one (Akka's faultCreate).
/// </summary>
public sealed class PreStartFailureTests : TestKit.TestKit
{
    private readonly ConcurrentQueue<string> _log = new();

    [Fact]
    public void Stop_runs_no_PostStop_on_the_instance_that_never_started()
    {
        var probe = CreateTestProbe();
        var actor = ChildActorOf(Props.Create(() => new FailsFirstPreStart(_log)), SupervisorStrategy.StoppingStrategy, "ps");
        probe.Watch(actor);
        probe.ExpectTerminated(actor);

        Assert.Equal(["ctor#1", "PreStart#1 throws"], _log);
    }

    [Fact]
    public async Task Restart_builds_a_new_instance_without_PreRestart_or_PostStop_on_the_failed_one()
    {
        var actor = ChildActorOf(Props.Create(() => new FailsFirstPreStart(_log)), new OneForOneStrategy(_ => Directive.Restart), "ps");

        Assert.Equal("ok#2", await actor.Ask<string>("hi", DefaultTimeout));
        Assert.Equal(["ctor#1", "PreStart#1 throws", "ctor#2", "PreStart#2", "receive#2"], _log);
    }

    [Fact]
    public async Task Resume_builds_a_new_instance_instead_of_handing_messages_to_the_failed_one()
    {
        var actor = ChildActorOf(Props.Create(() => new FailsFirstPreStart(_log)), new OneForOneStrategy(_ => Directive.Resume), "ps");

        Assert.Equal("ok#2", await actor.Ask<string>("hi", DefaultTimeout));
        Assert.Equal(["ctor#1", "PreStart#1 throws", "ctor#2", "PreStart#2", "receive#2"], _log);
    }

    [Fact]
    public void A_PreStart_that_always_throws_under_resume_is_bounded_by_the_retry_budget()
    {
        var probe = CreateTestProbe();
        var actor = ChildActorOf(
            Props.Create(() => new FailsFirstPreStart(_log, int.MaxValue)),
            new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Resume),
            "ps");
        probe.Watch(actor);
        probe.ExpectTerminated(actor);

        Assert.Equal(3, _log.Count(line => line.EndsWith("throws", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log, line => line.StartsWith("receive", StringComparison.Ordinal) || line.StartsWith("PostStop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_after_a_PreStart_failure_stops_the_children_of_the_failed_instance_before_building_the_next()
    {
        // The failed instance's constructor created "worker": had it been kept, the next constructor's
        // ActorOf("worker") would fail as "not unique" on every retry until the budget ran out.
        var actor = ChildActorOf(
            Props.Create(() => new NamedChildInConstructor(_log, failingIncarnation: 1)),
            new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart),
            "ps");

        string? reply = null;
        var failure = await Record.ExceptionAsync(async () => reply = await actor.Ask<string>("hi", DefaultTimeout));

        Assert.True(failure is null, $"the restart did not come up: {failure?.Message}; failures: {Failures()}");
        Assert.Equal("ok#2", reply);
        Assert.Equal(["ctor#1", "PreStart#1 throws", "worker#1:PostStop", "ctor#2", "PreStart#2", "receive#2"], _log);
    }

    [Fact]
    public async Task Restart_after_a_PostRestart_failure_stops_the_children_of_the_failed_instance_before_building_the_next()
    {
        // Incarnation 1 starts; a message fails it; incarnation 2's PostRestart (its PreStart) throws; 3 must come up.
        var actor = ChildActorOf(
            Props.Create(() => new NamedChildInConstructor(_log, failingIncarnation: 2)),
            new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart),
            "ps");
        Assert.Equal("ok#1", await actor.Ask<string>("hi", DefaultTimeout));
        actor.Tell(new Boom(new InvalidOperationException("bang")));

        string? reply = null;
        var failure = await Record.ExceptionAsync(async () => reply = await actor.Ask<string>("hi", DefaultTimeout));

        Assert.True(failure is null, $"the restart did not come up: {failure?.Message}; failures: {Failures()}");
        Assert.Equal("ok#3", reply);
        Assert.Equal(
            [
                "ctor#1", "PreStart#1", "receive#1",
                "worker#1:PostStop", "ctor#2", "PreStart#2 throws",
                "worker#2:PostStop", "ctor#3", "PreStart#3", "receive#3",
            ],
            _log);
    }

    private string Failures()
        => string.Join("; ", Events.All<ActorFailed>().Select(f => $"#{f.Incarnation} {f.Directive} {f.Exception.InnerException?.Message ?? f.Exception.Message}"))
            + " | log: " + string.Join(", ", _log);

    /// <summary>Creates a child named "worker" in its constructor; PreStart throws in <c>failingIncarnation</c>.</summary>
    private sealed class NamedChildInConstructor : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _log;
        private readonly int _failingIncarnation;

        public NamedChildInConstructor(ConcurrentQueue<string> log, int failingIncarnation)
        {
            _log = log;
            _failingIncarnation = failingIncarnation;
            log.Enqueue($"ctor#{Context.Incarnation}");
            var incarnation = Context.Incarnation;
            Context.ActorOf(Props.Create(() => new StopLogger(log, $"worker#{incarnation}")), "worker");
            Receive<Boom>(b => throw b.Exception);
            Receive<string>(_ =>
            {
                log.Enqueue($"receive#{Context.Incarnation}");
                Sender.Tell($"ok#{Context.Incarnation}");
            });
        }

        protected override void PreStart()
        {
            if (Context.Incarnation == _failingIncarnation)
            {
                _log.Enqueue($"PreStart#{Context.Incarnation} throws");
                throw new InvalidOperationException("no start");
            }

            _log.Enqueue($"PreStart#{Context.Incarnation}");
        }
    }

    private sealed class StopLogger(ConcurrentQueue<string> log, string name) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }

        protected override void PostStop() => log.Enqueue($"{name}:PostStop");
    }

    /// <summary>Logs its life; PreStart throws in every incarnation up to <c>failUpTo</c>.</summary>
    private sealed class FailsFirstPreStart : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _log;
        private readonly int _failUpTo;

        public FailsFirstPreStart(ConcurrentQueue<string> log, int failUpTo = 1)
        {
            _log = log;
            _failUpTo = failUpTo;
            log.Enqueue($"ctor#{Context.Incarnation}");
            ReceiveAny(_ =>
            {
                log.Enqueue($"receive#{Context.Incarnation}");
                Sender.Tell($"ok#{Context.Incarnation}");
            });
        }

        protected override void PreStart()
        {
            if (Context.Incarnation <= _failUpTo)
            {
                _log.Enqueue($"PreStart#{Context.Incarnation} throws");
                throw new InvalidOperationException("no start");
            }

            _log.Enqueue($"PreStart#{Context.Incarnation}");
        }

        protected override void PostStop() => _log.Enqueue($"PostStop#{Context.Incarnation}");

        protected override void PreRestart(Exception reason, object? message)
        {
            _log.Enqueue($"PreRestart#{Context.Incarnation}");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _log.Enqueue($"PostRestart#{Context.Incarnation}");
            base.PostRestart(reason);
        }
    }
}
