namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>A clock that moves only when the test says so (wall clock and monotonic timestamp together).</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private long _ticks = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _ticks;
        }
    }

    /// <summary>Moves the wall clock only, as an NTP step or a restored VM snapshot does (<paramref name="by"/> may be negative).</summary>
    public void StepWallClock(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
            _ticks += by.Ticks;
        }
    }
}
