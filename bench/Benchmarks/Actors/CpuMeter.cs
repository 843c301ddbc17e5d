using System.Diagnostics;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// Process CPU time (all threads) per operation, per iteration, printed at the end as "// cpu per op". On a
/// shared, loaded machine wall-clock means are inflated by other processes; CPU time per operation is the
/// steadier figure of the work the kernel does (multi-threaded benchmarks use both cores, so wall ≈ cpu / 2
/// when the machine is otherwise idle).
/// </summary>
internal sealed class CpuMeter(string name, int operationsPerIteration)
{
    private readonly List<double> _nanosPerOp = [];
    private TimeSpan _startCpu;

    public void Start() => _startCpu = Process.GetCurrentProcess().TotalProcessorTime;

    public void Stop()
        => _nanosPerOp.Add((Process.GetCurrentProcess().TotalProcessorTime - _startCpu).TotalNanoseconds / operationsPerIteration);

    public void Report()
    {
        if (_nanosPerOp.Count == 0)
        {
            return;
        }

        // Skip the first iterations (jitting, tiering); report the median and the best of the rest.
        var steady = _nanosPerOp.Skip(Math.Min(3, _nanosPerOp.Count - 1)).Order().ToList();
        Console.WriteLine($"// cpu per op ({name}): median {steady[steady.Count / 2]:F0} ns, best {steady[0]:F0} ns over {steady.Count} iterations");
    }
}
