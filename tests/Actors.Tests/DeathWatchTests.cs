namespace ActorHost.Actors.Tests;

public sealed class DeathWatchTests : TestKit.TestKit
{
    [Fact]
    public void Watcher_receives_Terminated_when_the_watched_actor_stops()
    {
        var probe = CreateTestProbe();
        var target = ActorOf(Props.Create<EchoActor>(), "target");
        probe.Watch(target);
        Sys.Stop(target);
        Assert.Equal(target, probe.ExpectTerminated(target).Actor);
    }

    [Fact]
    public async Task Watching_an_already_stopped_actor_answers_at_once()
    {
        var target = ActorOf(Props.Create<EchoActor>(), "target");
        Assert.True(await target.GracefulStop(DefaultTimeout));
        var probe = CreateTestProbe();
        probe.Watch(target);
        probe.ExpectTerminated(target);
    }

    [Fact]
    public void Unwatch_prevents_the_Terminated()
    {
        var probe = CreateTestProbe();
        var target = ActorOf(Props.Create<EchoActor>(), "target");
        probe.Watch(target);
        probe.Unwatch(target);
        probe.Send(target, "sync"); // the probe processes Unwatch before it processes this echo
        probe.ExpectMsg("sync");
        Sys.Stop(target);
        ExpectStopped(target);
        probe.ExpectNoMsg();
    }

    [Fact]
    public void Unhandled_Terminated_is_a_death_pact_that_stops_the_watcher()
    {
        var target = ActorOf(Props.Create<EchoActor>(), "target");
        var watcher = ActorOf(Props.Create(() => new PactKeeper(target)), "watcher");
        Events.Expect<ActorStarted>(e => e.Path == watcher.Path);
        Sys.Stop(target);
        Assert.IsType<DeathPactException>(ExpectFailure(watcher, Directive.Stop).Exception);
        ExpectStopped(watcher);
    }

    [Fact]
    public void A_parent_watching_its_child_can_recreate_it_under_the_same_name_after_Terminated()
    {
        var probe = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new Recreator(probe.Ref)), "parent");
        parent.Tell("stop-child");
        probe.ExpectMsg("recreated:/user/parent/entity");
    }

    [Fact]
    public void A_parent_watching_its_child_hears_Terminated_once_when_the_child_stops_itself()
    {
        var probe = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new WatchingParent(probe.Ref)), "parent");
        parent.Tell("poison-child");
        probe.ExpectMsg("terminated:/user/parent/kid");
        parent.Tell("ping");
        probe.ExpectMsg("pong");
        probe.ExpectNoMsg();
    }

    [Fact]
    public void A_parent_that_unwatched_its_child_gets_no_Terminated_when_it_stops()
    {
        var probe = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new WatchingParent(probe.Ref)), "parent");
        parent.Tell("unwatch-child");
        parent.Tell("stop-child");
        Events.Expect<ActorStopped>(e => e.Path.ToString() == "/user/parent/kid");
        parent.Tell("ping");
        probe.ExpectMsg("pong");
        probe.ExpectNoMsg();
    }

    private sealed class WatchingParent : ReceiveActor
    {
        public WatchingParent(IActorRef probe)
        {
            var child = Context.Watch(Context.ActorOf(Props.Create<EchoActor>(), "kid"));
            Receive<string>(command =>
            {
                switch (command)
                {
                    case "poison-child":
                        child.Tell(PoisonPill.Instance);
                        break;
                    case "stop-child":
                        Context.Stop(child);
                        break;
                    case "unwatch-child":
                        Context.Unwatch(child);
                        break;
                    default:
                        probe.Tell("pong");
                        break;
                }
            });
            Receive<Terminated>(t => probe.Tell($"terminated:{t.Actor.Path}"));
        }
    }

    private sealed class PactKeeper : UntypedActor
    {
        public PactKeeper(IActorRef target) => Context.Watch(target);

        protected override void OnReceive(object message) => Unhandled(message);
    }

    private sealed class Recreator : ReceiveActor
    {
        public Recreator(IActorRef probe)
        {
            var child = Context.Watch(Context.ActorOf(Props.Create<EchoActor>(), "entity"));
            Receive<string>(_ => Context.Stop(child));
            Receive<Terminated>(t =>
            {
                // The name is free once Terminated arrives.
                var again = Context.ActorOf(Props.Create<EchoActor>(), "entity");
                probe.Tell($"recreated:{again.Path}");
            });
        }
    }
}
