using ActorHost.Gateway.Management.Stats;

namespace ActorHost.Gateway.Tests.Management;

/// <summary>The per-route numbers behind <c>/stats</c>.</summary>
public sealed class RouteRequestStatsTests
{
    [Fact]
    public void A_busy_second_keeps_a_bounded_sample_that_represents_the_whole_second()
    {
        var stats = new RouteRequestStats("r", windowSeconds: 60);
        const int Requests = 20 * RouteRequestStats.SamplesPerSecond;

        // The first quarter of the second's requests took 100 ms, the rest 1 ms: a sample that kept only the
        // earliest requests would say p50 = 100 ms.
        for (int i = 0; i < Requests; i++)
        {
            stats.Duration(second: 5, milliseconds: i < Requests / 4 ? 100 : 1);
        }

        LatencySnapshot latency = stats.Snapshot(nowSecond: 5).Window.LatencyMs;
        Assert.Equal(RouteRequestStats.SamplesPerSecond, latency.Samples);
        Assert.Equal(1, latency.P50);
        Assert.Equal(100, latency.P90);
    }
}
