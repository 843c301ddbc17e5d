using ActorHost.Actors.TestKit;

namespace ActorHost.Actors.Tests;

public sealed class GracefulStopTests : TestKit.TestKit
{
    public GracefulStopTests()
        : base(clock: new ManualTimeProvider())
    {
    }

    [Fact]
    public async Task GracefulStop_processes_messages_queued_before_the_poison_pill_then_stops()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Gate(gate.Task)), "a");
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        actor.Tell("before", probe.Ref);
        var stopping = actor.GracefulStop(TimeSpan.FromMinutes(1));
        actor.Tell("after", probe.Ref);
        gate.SetResult();

        probe.ExpectMsg("before");
        Assert.True(await stopping.Guard());
        Assert.Equal("after", ExpectDeadLetter().Message);
        probe.ExpectNoMsg();
    }

    [Fact]
    public async Task GracefulStop_returns_false_when_the_actor_does_not_stop_in_time()
    {
        var never = new TaskCompletionSource();
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new Gate(never.Task)), "a");
        actor.Tell("hold", probe.Ref);
        probe.ExpectMsg("holding");
        var stopping = actor.GracefulStop(TimeSpan.FromSeconds(3));
        Assert.True(Clock!.WaitForPendingTimers(1, DefaultTimeout));
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.False(await stopping.Guard());
    }

    private sealed class Gate : ReceiveActor
    {
        public Gate(Task gate)
        {
            ReceiveAsync<string>(s => s == "hold", async _ =>
            {
                Sender.Tell("holding");
                await gate;
            });
            ReceiveAny(m => Sender.Tell(m));
        }
    }
}
