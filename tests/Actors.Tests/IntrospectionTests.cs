namespace ActorHost.Actors.Tests;

public sealed class IntrospectionTests : TestKit.TestKit
{
    [Fact]
    public async Task Snapshot_reports_counters_state_and_last_failure()
    {
        var actor = ActorOf(Props.Create<CountingActor>(), "c");
        await actor.Ask<int>("x", DefaultTimeout);
        actor.Tell(new Boom(new FormatException("bad input")));
        ExpectRestart(actor);
        await actor.Ask<int>("x", DefaultTimeout);

        var snapshot = Sys.Inspect(actor)!;
        Assert.Equal(actor.Path, snapshot.Path);
        Assert.Equal(2, snapshot.Incarnation);
        Assert.Equal(ActorState.Running, snapshot.State);
        Assert.Equal(1, snapshot.RestartCount);
        Assert.Equal(1, snapshot.FailureCount);
        Assert.Equal(3, snapshot.ProcessedCount);
        Assert.Equal(0, snapshot.MailboxDepth);
        Assert.Equal(typeof(CountingActor), snapshot.ActorType);
        Assert.Equal(("System.FormatException", "bad input", Directive.Restart), (snapshot.LastFailure!.ExceptionType, snapshot.LastFailure.Message, snapshot.LastFailure.Directive));
    }

    [Fact]
    public async Task Children_can_be_enumerated_and_resolved_by_path()
    {
        var parent = ActorOf(Props.Create(() => new Spawner(3)), "parent");
        await parent.Ask<string>("ready", DefaultTimeout);
        var children = Sys.GetChildren(parent);
        Assert.Equal(["c0", "c1", "c2"], children.Select(c => c.Path.Name).Order());
        Assert.Equal(3, Sys.Inspect(parent)!.ChildCount);
        Assert.Same(children.First(c => c.Path.Name == "c1"), Sys.Resolve(ActorPath.Parse("/user/parent/c1")));
        Assert.Null(Sys.Resolve(ActorPath.Parse("/user/parent/missing")));
        Assert.Contains(Sys.GetChildren(Sys.UserGuardian), c => c.Path.Name == "parent");
    }

    [Fact]
    public void An_awaiting_actor_is_reported_as_awaiting()
    {
        var never = new TaskCompletionSource();
        var actor = ActorOf(Props.Create(() => new Waiter(never.Task)), "w");
        actor.Tell("go");
        AwaitCondition(() => Sys.Inspect(actor)!.State == ActorState.Awaiting);
    }

    [Fact]
    public void Refs_of_other_systems_are_not_inspected()
    {
        using var other = new TestKit.TestKit();
        var foreign = other.ActorOf(Props.Create<EchoActor>());
        Assert.Null(Sys.Inspect(foreign));
        Assert.Empty(Sys.GetChildren(foreign));
    }

    private sealed class Spawner : ReceiveActor
    {
        public Spawner(int n)
        {
            for (var i = 0; i < n; i++)
            {
                Context.ActorOf(Props.Create<EchoActor>(), $"c{i}");
            }

            Receive<string>(s => Sender.Tell(s));
        }
    }

    private sealed class Waiter : ReceiveActor
    {
        public Waiter(Task never) => ReceiveAsync<string>(_ => never);
    }
}
