using Xunit.Sdk;

namespace ActorHost.Actors.TestKit.Tests;

public sealed class TestProbeTests : TestKit
{
    public TestProbeTests()
        : base(defaultTimeout: TimeSpan.FromSeconds(3))
    {
    }

    [Fact]
    public void ExpectMsg_returns_the_message_and_remembers_the_sender()
    {
        var probe = CreateTestProbe();
        var other = CreateTestProbe();
        other.Send(probe.Ref, "hello");
        Assert.Equal("hello", probe.ExpectMsg<string>());
        Assert.Equal(other.Ref, probe.LastSender);
        probe.Reply("back");
        other.ExpectMsg("back");
    }

    [Fact]
    public void ExpectMsg_of_the_wrong_type_or_value_fails()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell(42);
        Assert.Throws<FailException>(() => probe.ExpectMsg<string>());
        probe.Ref.Tell("a");
        Assert.Throws<FailException>(() => probe.ExpectMsg("b"));
        probe.Ref.Tell("c");
        Assert.Throws<FailException>(() => probe.ExpectMsg<string>(s => s == "d"));
    }

    [Fact]
    public void ExpectMsg_times_out_with_a_clear_message()
    {
        var probe = CreateTestProbe();
        var e = Assert.Throws<FailException>(() => probe.ExpectMsg<string>(timeout: TimeSpan.FromMilliseconds(20)));
        Assert.Contains("Timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectNoMsg_fails_when_a_message_arrives()
    {
        var probe = CreateTestProbe();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        probe.Ref.Tell("surprise");

        // The window only bounds the wait: the expectation fails as soon as the message is there, however
        // long a busy machine takes to deliver it.
        Assert.Throws<FailException>(() => probe.ExpectNoMsg(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void FishForMessage_skips_until_the_wanted_one()
    {
        var probe = CreateTestProbe();
        foreach (var m in new object[] { 1, "skip", 2, "take" })
        {
            probe.Ref.Tell(m);
        }

        Assert.Equal("take", probe.FishForMessage<string>(s => s == "take"));
    }

    [Fact]
    public async Task FishForMessage_failure_names_the_timeout_given_and_the_messages_it_skipped()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("skip-1");
        probe.Ref.Tell(2);

        var e = await Assert.ThrowsAsync<FailException>(() => probe.FishForMessageAsync<string>(s => s == "wanted", TimeSpan.FromSeconds(1)));

        Assert.Contains("1000 ms", e.Message, StringComparison.Ordinal); // not what was left of it on the last wait
        Assert.Contains("skipped: String skip-1, Int32 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectTerminated_sees_a_watched_actor_stop()
    {
        var probe = CreateTestProbe();
        var target = ActorOf(Props.Create<Sink>(), "target");
        probe.Watch(target);
        Sys.Stop(target);
        Assert.Equal(target, probe.ExpectTerminated(target).Actor);
    }

    [Fact]
    public void Within_fails_when_the_block_is_too_slow_and_bounds_expectations_inside()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("x");
        probe.Within(TimeSpan.FromSeconds(2), () => probe.ExpectMsg("x"));
        var e = Assert.Throws<FailException>(() => probe.Within(TimeSpan.FromMilliseconds(30), () => probe.ExpectMsg<string>()));
        Assert.Contains("Timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Async_variants_work_too()
    {
        var probe = CreateTestProbe();
        probe.Ref.Tell("async");
        Assert.Equal("async", await probe.ExpectMsgAsync<string>());
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(10));
    }

    private sealed class Sink : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }
    }
}
