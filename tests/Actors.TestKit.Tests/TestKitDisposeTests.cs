using Xunit.Sdk;

namespace ActorHost.Actors.TestKit.Tests;

/// <summary>Disposing a kit whose system does not stop must fail the test, not leave a hung system behind.</summary>
public sealed class TestKitDisposeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispose_fails_naming_the_actor_that_did_not_stop_when_termination_times_out()
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kit = new TestKit(
            new ActorSystemSettings { TerminationTimeout = TimeSpan.FromMilliseconds(200) },
            clock: new ManualTimeProvider(),
            defaultTimeout: TimeSpan.FromSeconds(3));
        var stuck = kit.ActorOf(Props.Create(() => new BlockingPostStop(release, entered)), "stuck");
        Assert.Equal("ready", await stuck.Ask<string>("ready", Bound));

        var failure = Assert.Throws<FailException>(kit.Dispose);

        Assert.True(entered.Task.IsCompleted);
        Assert.Contains("timed out", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/user/stuck (Stopping, BlockingPostStop)", failure.Message, StringComparison.Ordinal);
        release.Set();
    }

    [Fact]
    public async Task Dispose_fails_naming_the_actor_that_did_not_stop_when_the_system_is_still_terminating()
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kit = new TestKit(
            new ActorSystemSettings { TerminationTimeout = Timeout.InfiniteTimeSpan },
            clock: new ManualTimeProvider(),
            defaultTimeout: TimeSpan.FromMilliseconds(200));
        var stuck = kit.ActorOf(Props.Create(() => new BlockingPostStop(release, entered)), "stuck");
        Assert.Equal("ready", await stuck.Ask<string>("ready", Bound));

        var failure = Assert.Throws<FailException>(kit.Dispose);

        Assert.True(entered.Task.IsCompleted);
        Assert.Contains("did not terminate within", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/user/stuck (Stopping, BlockingPostStop)", failure.Message, StringComparison.Ordinal);
        release.Set();
        var reason = await kit.Sys.WhenTerminated.WaitAsync(Bound);
        Assert.False(reason.TimedOut);
    }

    [Fact]
    public async Task Dispose_of_a_system_the_test_already_terminated_does_not_judge_it_again()
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var kit = new TestKit(new ActorSystemSettings { TerminationTimeout = TimeSpan.FromMilliseconds(200) }, clock: new ManualTimeProvider());
        var stuck = kit.ActorOf(Props.Create(() => new BlockingPostStop(release, entered)), "stuck");
        Assert.Equal("ready", await stuck.Ask<string>("ready", Bound));

        // The test saw the timed-out outcome itself: it is the test's business, not a leak of the kit.
        Assert.True((await kit.Sys.Terminate().WaitAsync(Bound)).TimedOut);
        kit.Dispose();
        release.Set();
    }

    private sealed class BlockingPostStop(ManualResetEventSlim release, TaskCompletionSource entered) : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);

        protected override void PostStop()
        {
            entered.TrySetResult();
            release.Wait(Bound);
        }
    }
}
