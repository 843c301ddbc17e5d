namespace ActorHost.Actors.Tests;

/// <summary>Runs alone: the watchdog parks only when no thread of the process has stashed a cell for a while.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietProcessCollection
{
    public const string Name = "quiet process";
}

[Collection(QuietProcessCollection.Name)]
public sealed class TrampolineWatchdogTests : TestKit.TestKit
{
    [Fact]
    public async Task A_parked_watchdog_is_woken_by_the_next_stash_and_still_releases_a_held_cell()
    {
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var blocker = ActorOf(Props.Create(() => new DispatchTests.Blocker(echo)), "blocker");

        // A first round starts the watchdog (the blocked turn stashes the echo cell, the watchdog frees it) ...
        Assert.Equal(1, await blocker.Ask<int>(1, DefaultTimeout).Guard());

        // ... which then parks, once nothing has been stashed for a while.
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnParked() => parked.TrySetResult();
        Trampoline.Parked += OnParked;
        try
        {
            if (!Trampoline.IsParked)
            {
                await parked.Task.Guard();
            }
        }
        finally
        {
            Trampoline.Parked -= OnParked;
        }

        // The next blocked turn's stash must wake it: otherwise the echo cell stays held and the inner ask times out.
        Assert.Equal(2, await blocker.Ask<int>(2, DefaultTimeout).Guard());
    }
}
