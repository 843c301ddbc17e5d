using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class BackoffSupervisorTests : TestKit.TestKit
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    public BackoffSupervisorTests()
        : base(clock: new ManualTimeProvider())
    {
    }

    [Fact]
    public void Delay_doubles_from_min_to_max_with_jitter_bounds()
    {
        Assert.Equal(Min, BackoffSupervisor.CalculateDelay(0, Min, Max, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), BackoffSupervisor.CalculateDelay(2, Min, Max, 0));
        Assert.Equal(Max, BackoffSupervisor.CalculateDelay(20, Min, Max, 0));
        var jittered = BackoffSupervisor.CalculateDelay(0, Min, Max, 0.5, new Random(1));
        Assert.InRange(jittered, Min, TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_failed_child_comes_back_after_growing_delays_and_messages_are_forwarded()
    {
        var supervisor = ActorOf(BackoffSupervisor.Props(new BackoffOptions(Props.Create<CountingActor>(), "worker", Min, Max, 0)), "backoff");
        Assert.Equal(1, await supervisor.Ask<int>("x", DefaultTimeout));
        var worker = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref!;
        Assert.Equal("/user/backoff/worker", worker.Path.ToString());

        await FailAndWaitForRecreation(supervisor, worker, Min, startedBefore: 1);
        await FailAndWaitForRecreation(supervisor, worker, TimeSpan.FromSeconds(2), startedBefore: 2);
        Assert.Equal(2, (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, DefaultTimeout)).Count);
        Assert.Equal(1, await supervisor.Ask<int>("x", DefaultTimeout)); // a fresh child
    }

    [Fact]
    public async Task Stable_running_resets_the_backoff()
    {
        var options = new BackoffOptions(Props.Create<CountingActor>(), "worker", Min, Max, 0) { ResetBackoffAfter = TimeSpan.FromSeconds(30) };
        var supervisor = ActorOf(BackoffSupervisor.Props(options), "backoff");
        var worker = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref!;
        await FailAndWaitForRecreation(supervisor, worker, Min, startedBefore: 1);

        Clock!.Advance(TimeSpan.FromSeconds(30));
        await AssertRestartCount(supervisor, 0);
        await FailAndWaitForRecreation(supervisor, worker, Min, startedBefore: 2);
    }

    [Fact]
    public async Task While_the_child_is_down_messages_are_dead_letters_and_asks_fail_at_once()
    {
        var supervisor = ActorOf(BackoffSupervisor.Props(new BackoffOptions(Props.Create<CountingActor>(), "worker", Min, Max, 0)), "backoff");
        var worker = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref!;
        supervisor.Tell(new Boom(new InvalidOperationException()));
        ExpectStopped(worker);
        await AssertRestartCount(supervisor, 1); // the re-creation is scheduled
        await Assert.ThrowsAsync<DeadLetterException>(() => supervisor.Ask<int>("x", DefaultTimeout).Guard());
    }

    [Fact]
    public async Task Exceeding_max_retries_stops_the_backoff_supervisor()
    {
        var options = new BackoffOptions(Props.Create<CountingActor>(), "worker", Min, Max, 0) { MaxNrOfRetries = 1 };
        var supervisor = ActorOf(BackoffSupervisor.Props(options), "backoff");
        var probe = CreateTestProbe();
        probe.Watch(supervisor);
        var worker = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref!;
        await FailAndWaitForRecreation(supervisor, worker, Min, startedBefore: 1);
        supervisor.Tell(new Boom(new InvalidOperationException()));
        probe.ExpectTerminated(supervisor);
        Events.Expect<RetriesExhausted>(e => e.Path == worker.Path);
    }

    [Fact]
    public async Task OnStop_recreates_a_child_that_stopped_itself()
    {
        var options = new BackoffOptions(Props.Create<SelfStopper>(), "worker", Min, Max, 0) { Trigger = BackoffTrigger.OnStop };
        var supervisor = ActorOf(BackoffSupervisor.Props(options), "backoff");
        var worker = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref!;
        supervisor.Tell("stop");
        ExpectStopped(worker);
        await AssertRestartCount(supervisor, 1);
        Clock!.Advance(Min);
        Events.ExpectCount<ActorStarted>(2, e => e.Path == worker.Path);
    }

    [Fact]
    public async Task OnFailure_supervisor_stops_when_the_child_stops_itself()
    {
        var supervisor = ActorOf(BackoffSupervisor.Props(new BackoffOptions(Props.Create<SelfStopper>(), "worker", Min, Max, 0)), "backoff");
        var probe = CreateTestProbe();
        probe.Watch(supervisor);
        await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout);
        supervisor.Tell("stop");
        probe.ExpectTerminated(supervisor);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffOptions(Props.Create<CountingActor>(), "w", Max, Min, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackoffOptions(Props.Create<CountingActor>(), "w", Min, Max, 2));
        Assert.Throws<InvalidActorNameException>(() => new BackoffOptions(Props.Create<CountingActor>(), "a/b", Min, Max, 0));
    }

    private async Task FailAndWaitForRecreation(IActorRef supervisor, IActorRef worker, TimeSpan expectedDelay, int startedBefore)
    {
        var restarts = (await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, DefaultTimeout)).Count;
        supervisor.Tell(new Boom(new InvalidOperationException()));
        await AssertRestartCount(supervisor, restarts + 1); // stopped, re-creation scheduled

        Clock!.Advance(expectedDelay - TimeSpan.FromMilliseconds(1));
        Assert.Null((await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, DefaultTimeout)).Ref);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Events.ExpectCount<ActorStarted>(startedBefore + 1, e => e.Path == worker.Path, settle: TimeSpan.Zero);
    }

    private async Task AssertRestartCount(IActorRef supervisor, int expected)
    {
        // The supervisor schedules the re-creation when it processes the child's Terminated, which reaches its
        // mailbox a little after the child stopped: ask until it has (each ask is a round trip, not a sleep).
        var deadline = DateTime.UtcNow + DefaultTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, DefaultTimeout)).Count == expected)
            {
                return;
            }
        }

        Assert.Fail($"restart count never became {expected}");
    }

    private sealed class SelfStopper : ReceiveActor
    {
        public SelfStopper() => Receive<string>(_ => Context.Stop(Self));
    }
}
