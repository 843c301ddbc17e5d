using System.Diagnostics;
using ActorHost.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// Cost of failure → restart → next message: a driver tells a supervised worker "fail" then "next"; the worker
/// throws on "fail" (default decider: Restart), and the fresh instance answers "next", which starts the next
/// cycle. One operation = one cycle; cycles/s = 1e9 / (ns per op). The time from the throw to the fresh
/// instance's next message is measured per cycle and printed at the end ("// throw→next").
/// </summary>
[MemoryDiagnoser]
public class FailureRestartBenchmark() : CpuMeteredBenchmark("fail-restart-next cycle", Cycles)
{
    private const int Cycles = 20_000;

    private ActorSystem _system = null!;
    private IActorRef _driver = null!;
    private Timings _timings = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("restart");
        _timings = new Timings();
        var worker = _system.ActorOf(Props.Create(() => new Worker(_timings)), "worker");
        _driver = _system.ActorOf(Props.Create(() => new Driver(worker)), "driver");
        Warmup.Run(FailRestartNext, TimeSpan.FromSeconds(3));
        _timings.Reset();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Cpu.Report();
        var samples = _timings.Snapshot();
        Array.Sort(samples);
        double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        if (samples.Length > 0)
        {
            Console.WriteLine($"// throw→next: p50 {Micros(samples[samples.Length / 2]):F1} us, p90 {Micros(samples[samples.Length * 9 / 10]):F1} us, p99 {Micros(samples[samples.Length * 99 / 100]):F1} us over {samples.Length} cycles");
        }

        _system.Terminate().Wait();
    }

    [Benchmark(OperationsPerInvoke = Cycles)]
    public void FailRestartNext()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _driver.Tell(new Run(Cycles, done));
        done.Task.Wait();
    }

    private sealed record Run(int Cycles, TaskCompletionSource Done);

    private sealed class Timings
    {
        private readonly long[] _samples = new long[1 << 20];
        private int _count;

        public long ThrownAt;

        public void Add(long ticks)
        {
            var i = _count++;
            if (i < _samples.Length)
            {
                _samples[i] = ticks;
            }
        }

        public void Reset() => _count = 0;

        public long[] Snapshot() => _samples.AsSpan(0, Math.Min(_count, _samples.Length)).ToArray();
    }

    private sealed class Fail
    {
        public static readonly Fail Instance = new();
    }

    private sealed class Next
    {
        public static readonly Next Instance = new();
    }

    private sealed class Worker(Timings timings) : UntypedActor
    {
        private bool _fresh = true;

        protected override void OnReceive(object message)
        {
            if (message is Fail)
            {
                timings.ThrownAt = Stopwatch.GetTimestamp();
                throw new InvalidOperationException("injected");
            }

            if (_fresh && timings.ThrownAt != 0)
            {
                timings.Add(Stopwatch.GetTimestamp() - timings.ThrownAt);
            }

            _fresh = false;
            Sender.Tell(message);
        }
    }

    private sealed class Driver(IActorRef worker) : UntypedActor
    {
        private int _remaining;
        private TaskCompletionSource? _done;

        protected override void OnReceive(object message)
        {
            if (message is Run run)
            {
                _remaining = run.Cycles;
                _done = run.Done;
                Cycle();
                return;
            }

            if (--_remaining == 0)
            {
                _done!.SetResult();
                return;
            }

            Cycle();
        }

        private void Cycle()
        {
            worker.Tell(Fail.Instance, Self);
            worker.Tell(Next.Instance, Self);
        }
    }
}
