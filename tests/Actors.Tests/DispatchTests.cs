namespace ActorHost.Actors.Tests;

public sealed class DispatchTests : TestKit.TestKit
{
    [Fact]
    public async Task A_handler_that_blocks_on_an_actor_it_just_woke_does_not_deadlock()
    {
        // Sync-over-async inside an actor is bad practice, but it must only be slow, never a deadlock: the cell
        // woken by the blocked turn is released to the pool by the trampoline watchdog.
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var blocker = ActorOf(Props.Create(() => new Blocker(echo)), "blocker");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, await blocker.Ask<int>(i, DefaultTimeout).Guard());
        }
    }

    [Fact]
    public void Long_chains_of_hops_are_processed_in_order()
    {
        var probe = CreateTestProbe();
        var relays = new IActorRef[10];
        var next = probe.Ref;
        for (var i = relays.Length - 1; i >= 0; i--)
        {
            var target = next;
            relays[i] = ActorOf(Props.Create(() => new Relay(target)), $"relay-{i}");
            next = relays[i];
        }

        for (var i = 0; i < 1000; i++)
        {
            relays[0].Tell(i);
        }

        for (var i = 0; i < 1000; i++)
        {
            probe.ExpectMsg(i);
        }
    }

    [Fact]
    public void A_message_told_while_the_actor_is_starting_is_never_lost()
    {
        // Races the producer's publish with the consumer leaving its first turn (a lost wake-up would hang).
        const int Count = 20_000;
        using var done = new CountdownEvent(Count);
        for (var i = 0; i < Count; i++)
        {
            ActorOf(Props.Create<Signaller>()).Tell(done);
        }

        Assert.True(done.Wait(TaskGuard.Bound), $"{done.CurrentCount} actors never processed their message");
    }

    private sealed class Signaller : UntypedActor
    {
        protected override void OnReceive(object message) => ((CountdownEvent)message).Signal();
    }

    internal sealed class Blocker(IActorRef echo) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
#pragma warning disable xUnit1031 // deliberately blocking inside an actor
            var reply = echo.Ask<int>(message, TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
#pragma warning restore xUnit1031
            Sender.Tell(reply);
        }
    }

    private sealed class Relay(IActorRef next) : UntypedActor
    {
        protected override void OnReceive(object message) => next.Tell(message);
    }
}
