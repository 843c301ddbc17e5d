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
