namespace ActorHost.Actors.TestKit.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Time_moves_only_when_advanced()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var start = clock.GetTimestamp();
        Assert.Equal(TimeSpan.Zero, clock.GetElapsedTime(start));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), clock.GetElapsedTime(start));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 5, 0, TimeSpan.Zero), clock.GetUtcNow());
    }

    [Fact]
    public void Due_timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<(string, TimeSpan)>();
        var origin = clock.GetTimestamp();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetElapsedTime(origin))), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetElapsedTime(origin))), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([("early", TimeSpan.FromSeconds(1)), ("late", TimeSpan.FromSeconds(3))], fired);
    }

    [Fact]
    public void Periodic_timers_fire_once_per_period_and_stop_when_disposed()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(3.5));
        Assert.Equal(3, count);
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, count);
        Assert.Equal(0, clock.PendingTimerCount);
    }

    [Fact]
    public void Changed_timers_are_rescheduled_from_now()
    {
        var clock = new ManualTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(0.9));
        Assert.Equal(0, count);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, count);
    }

    [Fact]
    public void Timers_due_now_fire_at_once_as_on_the_system_clock()
    {
        var clock = new ManualTimeProvider();
        var created = 0;
        var changed = 0;
        using var dueNow = clock.CreateTimer(_ => created++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(1, created);

        using var later = clock.CreateTimer(_ => changed++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        later.Change(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(1, changed);
        clock.Advance(TimeSpan.FromSeconds(1)); // the period counts from when it fired
        Assert.Equal(2, changed);
        Assert.Equal(1, created);
    }

    [Fact]
    public void Waiting_for_pending_timers_returns_once_they_exist()
    {
        var clock = new ManualTimeProvider();
        Assert.False(clock.WaitForPendingTimers(1, TimeSpan.FromMilliseconds(10)));
        using var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.True(clock.WaitForPendingTimers(1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Negative_advance_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new ManualTimeProvider().Advance(TimeSpan.FromSeconds(-1)));
}
