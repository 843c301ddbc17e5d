namespace ActorHost.Actors.Tests;

public sealed class EventStreamTests
{
    [Fact]
    public async Task Subscribers_receive_the_events_of_their_type_only()
    {
        await using var system = ActorSystem.Create("events");
        using var failures = system.EventStream.Subscribe<ActorFailed>();
        using var strings = system.EventStream.Subscribe<string>();
        using var all = system.EventStream.Subscribe<object>();
        system.EventStream.Publish("user event");
        Assert.Equal("user event", await strings.Reader.ReadAsync());

        // The guardians publish their own lifecycle events concurrently, so a catch-all subscription may see
        // those first; it must still receive the user event, in order after whatever preceded it.
        object received;
        do
        {
            received = await all.Reader.ReadAsync();
        }
        while (received is ActorEvent);
        Assert.Equal("user event", received);
        Assert.False(failures.Reader.TryRead(out _));
        Assert.False(strings.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_slow_subscriber_never_blocks_publishers_and_drops_its_oldest_events()
    {
        await using var system = ActorSystem.Create("events");
        using var slow = system.EventStream.Subscribe<string>(capacity: 4);
        for (var i = 0; i < 100; i++)
        {
            system.EventStream.Publish($"e{i}");
        }

        Assert.Equal(96, slow.DroppedCount);
        Assert.True(system.EventStream.DroppedCount >= 96);
        Assert.Equal("e96", await slow.Reader.ReadAsync());
    }

    [Fact]
    public async Task Disposed_subscriptions_stop_receiving()
    {
        await using var system = ActorSystem.Create("events");
        var sub = system.EventStream.Subscribe<string>();
        Assert.Equal(1, system.EventStream.SubscriberCount);
        sub.Dispose();
        Assert.Equal(0, system.EventStream.SubscriberCount);
        system.EventStream.Publish("x");
        Assert.False(sub.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_subscription_made_after_the_system_terminated_completes_at_once()
    {
        var system = ActorSystem.Create("events");
        await system.Terminate();

        using var late = system.EventStream.Subscribe<object>();

        Assert.True(late.Reader.Completion.IsCompleted, "a subscription made after termination must complete at once");
        Assert.Equal(0, system.EventStream.SubscriberCount);
    }

    [Fact]
    public async Task Lifecycle_events_carry_path_incarnation_exception_and_directive()
    {
        await using var system = ActorSystem.Create("events");
        using var events = system.EventStream.Subscribe<ActorEvent>();
        var actor = system.ActorOf(Props.Create<CountingActor>(), "c");
        var boom = new InvalidOperationException("x");
        actor.Tell(new Boom(boom));

        var started = await Next<ActorStarted>(events, actor);
        Assert.Equal((actor.Path, 1), (started.Path, started.Incarnation));
        var failed = await Next<ActorFailed>(events, actor);
        Assert.Equal((actor.Path, 1, Directive.Restart, typeof(Boom)), (failed.Path, failed.Incarnation, failed.Directive, failed.MessageType));
        Assert.Same(boom, failed.Exception);
        var restarted = await Next<ActorRestarted>(events, actor);
        Assert.Equal((actor.Path, 2), (restarted.Path, restarted.Incarnation));
        Assert.NotEqual(default, restarted.Timestamp);

        system.Stop(actor);
        Assert.Equal(2, (await Next<ActorStopped>(events, actor)).Incarnation);
    }

    private static async Task<T> Next<T>(EventSubscription<ActorEvent> events, IActorRef actor)
        where T : ActorEvent
    {
        while (true)
        {
            if (await events.Reader.ReadAsync().AsTask().Guard() is T typed && typed.Path == actor.Path)
            {
                return typed;
            }
        }
    }
}
