using ActorHost.Gateway.Management.Events;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The bounded event history behind /events.</summary>
public sealed class EventRingTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Reading_after_an_id_returns_the_following_events_in_order()
    {
        var ring = new EventRing(8);
        for (int i = 0; i < 5; i++)
        {
            ring.Append("t", Now, new { i });
        }

        RingRead read = ring.ReadAfter(2, 100);

        Assert.Equal([3L, 4L, 5L], read.Events.Select(e => e.Id));
        Assert.Equal(0, read.Missed);
        Assert.Contains("\"id\":3", read.Events[0].Json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_is_serialised_once_with_its_id_type_time_and_data_whoever_reads_it()
    {
        var ring = new EventRing(8);
        ManagementEvent appended = ring.Append("worker.failed", Now, new { route = "counter", incarnation = 2 });

        string first = ring.ReadAfter(0, 1).Events[0].Json;
        string second = appended.Json;

        Assert.Same(first, second);
        Assert.Equal("""{"id":1,"type":"worker.failed","time":"1970-01-01T00:00:00+00:00","data":{"route":"counter","incarnation":2}}""", first);
    }

    [Fact]
    public void An_id_older_than_the_ring_reports_how_many_events_were_missed()
    {
        var ring = new EventRing(4);
        for (int i = 0; i < 10; i++)
        {
            ring.Append("t", Now, new { i });
        }

        RingRead read = ring.ReadAfter(3, 100);

        Assert.Equal(7, read.OldestId);
        Assert.Equal(3, read.Missed);
        Assert.Equal([7L, 8L, 9L, 10L], read.Events.Select(e => e.Id));
    }

    [Fact]
    public void An_id_never_issued_is_reported_as_unknown()
    {
        var ring = new EventRing(4);
        ring.Append("t", Now, new { });

        Assert.Equal(-1, ring.ReadAfter(5, 10).Missed);
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_the_next_append()
    {
        var ring = new EventRing(4);
        Task waiting = ring.WhenAppendedAfter(0);
        Assert.False(waiting.IsCompleted);

        ring.Append("t", Now, new { });

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(ring.WhenAppendedAfter(0).IsCompleted);
    }

    [Fact]
    public void Reads_are_bounded_by_max()
    {
        var ring = new EventRing(100);
        for (int i = 0; i < 50; i++)
        {
            ring.Append("t", Now, new { i });
        }

        Assert.Equal(10, ring.ReadAfter(0, 10).Events.Count);
    }
}
