namespace ActorHost.Workers.Tests.Contract;

public class LazySignalTests
{
    [Fact]
    public void Fired_before_anyone_waits_it_makes_no_task_and_reads_as_complete()
    {
        TaskCompletionSource? signal = null;

        LazySignal.Fire(ref signal);
        LazySignal.Fire(ref signal);

        Assert.True(LazySignal.WhenFired(ref signal).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_wait_started_before_the_signal_completes_when_it_fires()
    {
        TaskCompletionSource? signal = null;
        Task waiting = LazySignal.WhenFired(ref signal);
        Assert.Same(waiting, LazySignal.WhenFired(ref signal));
        Assert.False(waiting.IsCompleted);

        LazySignal.Fire(ref signal);

        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
