using System.Diagnostics;
using ActorHost.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// Ask throughput from non-actor callers: 64 concurrent callers, each asking in a loop (so 64 asks outstanding),
/// spread over a pool of 16 echo actors. One operation = one ask; asks/s = 1e9 / (ns per op).
/// Mean latency is measured per ask and printed at the end ("// ask latency").
/// </summary>
[MemoryDiagnoser]
public class AskThroughputBenchmark() : CpuMeteredBenchmark("ask", Callers * AsksPerCaller)
{
    private const int Callers = 64;
    private const int Pool = 16;
    private const int AsksPerCaller = 2_000;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private ActorSystem _system = null!;
    private IActorRef[] _pool = null!;
    private long _latencyTicks;
    private long _asks;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("ask");
        _pool = Enumerable.Range(0, Pool).Select(i => _system.ActorOf(Props.Create<Echo>(), $"echo-{i}")).ToArray();
        Warmup.Run(Ask64OutstandingOver16Actors, TimeSpan.FromSeconds(3));
        _latencyTicks = 0;
        _asks = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Cpu.Report();
        var meanMicros = _asks == 0 ? 0 : (double)_latencyTicks / _asks * 1_000_000 / Stopwatch.Frequency;
        Console.WriteLine($"// ask latency: mean {meanMicros:F1} us over {_asks} asks with {Callers} outstanding");
        _system.Terminate().Wait();
    }

    [Benchmark(OperationsPerInvoke = Callers * AsksPerCaller)]
    public void Ask64OutstandingOver16Actors()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            callers[c] = Caller(_pool[c % Pool]);
        }

        Task.WaitAll(callers);
    }

    // The first ask of every caller is issued synchronously by the benchmark thread, so that all 64 are
    // outstanding from the start; each completion (on a pool thread) issues that caller's next ask.
    private async Task Caller(IActorRef target)
    {
        long latency = 0;
        for (var i = 0; i < AsksPerCaller; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await target.Ask<object>(target, Timeout);
            latency += Stopwatch.GetTimestamp() - started;
        }

        Interlocked.Add(ref _latencyTicks, latency);
        Interlocked.Add(ref _asks, AsksPerCaller);
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }
}
