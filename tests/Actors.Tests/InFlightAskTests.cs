namespace ActorHost.Actors.Tests;

/// <summary>
/// An Ask whose message an async handler is still working on, when the actor is stopped or restarted from outside:
/// the handler can never reply, so the Ask must hear it at once instead of waiting for its timeout.
/// </summary>
public sealed class InFlightAskTests : TestKit.TestKit
{
    // Far longer than the guard: an Ask that only ends at its own timeout fails the test.
    private static readonly TimeSpan LongAsk = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Stopping_the_actor_fails_the_Ask_in_flight_with_ActorStoppedException()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new SlowReplier(probe.Ref, gate.Task)), "w");
        Task<string> ask = actor.Ask<string>("work", LongAsk);
        probe.ExpectMsg("working");

        Sys.Stop(actor);

        var e = await Assert.ThrowsAsync<ActorStoppedException>(() => ask.Guard());
        Assert.Contains("/user/w was stopped while handling the asked message of type String", e.Message, StringComparison.Ordinal);
        gate.SetResult("too late");
    }

    [Fact]
    public async Task Terminating_the_system_fails_the_Ask_in_flight()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new SlowReplier(probe.Ref, gate.Task)), "w");
        Task<string> ask = actor.Ask<string>("work", LongAsk);
        probe.ExpectMsg("working");

        await Sys.Terminate().Guard();

        await Assert.ThrowsAsync<ActorStoppedException>(() => ask.Guard());
        gate.SetResult("too late");
    }

    [Fact]
    public async Task A_restart_by_an_all_for_one_sibling_fails_the_Ask_in_flight_with_the_siblings_cause()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var parent = ActorOf(
            Props.Create(() => new ChildMaker(Props.Create(() => new SlowReplier(probe.Ref, gate.Task))))
                .WithSupervisorStrategy(new AllForOneStrategy(_ => Directive.Restart)),
            "p");
        var failing = await parent.Ask<IActorRef>("a", DefaultTimeout);
        var busy = await parent.Ask<IActorRef>("b", DefaultTimeout);
        Task<string> ask = busy.Ask<string>("work", LongAsk);
        probe.ExpectMsg("working");

        failing.Tell("boom");

        var e = await Assert.ThrowsAsync<AskFailedException>(() => ask.Guard());
        Assert.Equal(Directive.Restart, e.Directive);
        Assert.Equal(busy.Path, e.Actor);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("was restarted while handling the asked message, because of another actor's failure", e.Message, StringComparison.Ordinal);
        gate.SetResult("too late");
    }

    /// <summary>Replies only when its gate opens, from an async handler.</summary>
    private sealed class SlowReplier : ReceiveActor
    {
        public SlowReplier(IActorRef probe, Task<string> gate)
        {
            Receive<string>(s => s == "boom", _ => throw new InvalidOperationException("boom"));
            ReceiveAsync<string>(async _ =>
            {
                probe.Tell("working");
                string reply = await gate;
                Sender.Tell(reply);
            });
        }
    }

    /// <summary>Makes (or finds) the child the message names and answers with it.</summary>
    private sealed class ChildMaker : ReceiveActor
    {
        public ChildMaker(Props child) => Receive<string>(name => Sender.Tell(Context.Child(name) ?? Context.ActorOf(child, name)));
    }
}
