using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// A benchmark that also measures the process CPU time per operation around every iteration
/// (<see cref="CpuMeter"/>); the derived benchmark calls <c>Cpu.Report()</c> in its global cleanup.
/// </summary>
public abstract class CpuMeteredBenchmark
{
    private protected CpuMeteredBenchmark(string operation, int operationsPerIteration) =>
        Cpu = new CpuMeter(operation, operationsPerIteration);

    private protected CpuMeter Cpu { get; }

    [IterationSetup]
    public void StartCpu() => Cpu.Start();

    [IterationCleanup]
    public void StopCpu() => Cpu.Stop();
}
