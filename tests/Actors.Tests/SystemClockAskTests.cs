using System.Diagnostics;

namespace ActorHost.Actors.Tests;

/// <summary>Ask timeouts on the real system clock (a periodic sweep instead of a timer per Ask).</summary>
public sealed class SystemClockAskTests
{
    [Fact]
    public async Task An_unanswered_ask_times_out_on_the_system_clock_within_one_sweep_period()
    {
        await using var system = ActorSystem.Create("clock");
        var silent = system.ActorOf(Props.Create<Silent>(), "silent");
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<int>("x", TimeSpan.FromMilliseconds(100)).Guard());
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(100), TaskGuard.Bound);
    }

    [Fact]
    public async Task Answered_asks_are_not_failed_by_the_sweep()
    {
        await using var system = ActorSystem.Create("clock");
        var echo = system.ActorOf(Props.Create<EchoActor>(), "echo");
        // Generous timeouts: a loaded machine may take a while to answer one of them, and this test is about
        // the sweep leaving answered asks alone, not about speed.
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(i, await echo.Ask<int>(i, TimeSpan.FromSeconds(1)).Guard());
        }

        // Outlive the timeouts of all those (completed) asks: nothing must surface.
        var late = system.ActorOf(Props.Create<Silent>(), "late");
        await Assert.ThrowsAsync<AskTimeoutException>(() => late.Ask<int>("x", TimeSpan.FromMilliseconds(1200)).Guard());
    }

    private sealed class Silent : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }
    }
}
