using Xunit.Sdk;

namespace ActorHost.Actors.TestKit.Tests;

public sealed class TestKitTests : TestKit
{
    public TestKitTests()
        : base(clock: new ManualTimeProvider(), defaultTimeout: TimeSpan.FromSeconds(3))
    {
    }

    [Fact]
    public void ChildActorOf_supervises_the_child_with_the_given_strategy()
    {
        var child = ChildActorOf(Props.Create<Failer>(), new OneForOneStrategy(_ => Directive.Stop), "child");
        Assert.EndsWith("/child", child.Path.ToString(), StringComparison.Ordinal);
        child.Tell("fail");
        ExpectFailure(child, Directive.Stop);
        ExpectStopped(child);
    }

    [Fact]
    public void ExpectRestarts_counts_exactly()
    {
        var child = ChildActorOf(Props.Create<Failer>(), SupervisorStrategy.DefaultStrategy);
        child.Tell("fail");
        ExpectRestarts(child, 1);
        child.Tell("fail");
        // Wait for the second restart itself: asserting "exactly one" must not depend on the second
        // arriving within the recorder's settle window.
        ExpectRestarts(child, 2);
        Assert.Throws<FailException>(() => ExpectRestarts(child, 1));
    }

    [Fact]
    public void ExpectDeadLetter_sees_messages_to_stopped_actors()
    {
        var child = ChildActorOf(Props.Create<Failer>(), SupervisorStrategy.DefaultStrategy);
        Sys.Stop(child);
        ExpectStopped(child);
        child.Tell("late");
        Assert.Equal("late", ExpectDeadLetter(d => d.Recipient.Equals(child)).Message);
    }

    [Fact]
    public void The_manual_clock_drives_the_system()
    {
        var probe = CreateTestProbe();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromHours(1), probe.Ref, "later");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        Clock!.Advance(TimeSpan.FromHours(1));
        probe.ExpectMsg("later");
    }

    [Fact]
    public void A_tell_scheduled_with_no_delay_arrives_without_advancing_the_manual_clock()
    {
        var probe = CreateTestProbe();
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.Zero, probe.Ref, "now");
        probe.ExpectMsg("now");
    }

    [Fact]
    public void An_event_expectation_without_a_timeout_waits_for_the_event()
    {
        Sys.EventStream.Publish("recorded");
        AwaitCondition(() => Events.Count<string>(s => s == "recorded") == 1);

        // "wanted" is published while the expectation scans the recorded events, so it is recorded only once the
        // expectation waits: an infinite timeout must wait for it, not fail at once.
        var published = false;
        var taken = Events.Expect<string>(
            s =>
            {
                if (!published)
                {
                    published = true;
                    Sys.EventStream.Publish("wanted");
                }

                return s == "wanted";
            },
            Timeout.InfiniteTimeSpan);

        Assert.Equal("wanted", taken);
    }

    [Fact]
    public void Events_can_be_expected_once_each_in_order()
    {
        Sys.EventStream.Publish("first");
        Sys.EventStream.Publish("second");
        Assert.Equal("first", Events.Expect<string>());
        Assert.Equal("second", Events.Expect<string>());
        Events.ExpectNone<string>(duration: TimeSpan.FromMilliseconds(20));
    }

    private sealed class Failer : UntypedActor
    {
        protected override void OnReceive(object message) => throw new InvalidOperationException((string)message);
    }
}
