using System.Diagnostics;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// Runs a workload for a while in GlobalSetup, so that the kernel's hot paths are re-jitted at tier 1 before
/// BenchmarkDotNet measures. A short job's own warm-up is too brief for that on a loaded machine (the background
/// tier-1 compiler gets little CPU), and measuring tier-0 code would understate the kernel by ~3×.
/// </summary>
internal static class Warmup
{
    public static void Run(Action workload, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < 5 || stopwatch.Elapsed < duration; i++)
        {
            workload();
        }
    }
}
