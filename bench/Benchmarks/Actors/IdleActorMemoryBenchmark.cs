using ActorHost.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// Memory per idle actor: creates 100,000 started actors (each processed one message, then idle) under one
/// parent and measures the retained heap growth with GC.GetTotalMemory(forceFullCollection: true) before and
/// after. The figure is printed ("// bytes per idle actor"); the benchmark time is the cost of creating them.
/// </summary>
[MemoryDiagnoser]
public class IdleActorMemoryBenchmark
{
    private const int Count = 100_000;

    private readonly List<double> _bytesPerActor = [];

    [Params("Untyped", "Receive")]
    public string Kind { get; set; } = "Untyped";

    [GlobalCleanup]
    public void Report()
    {
        if (_bytesPerActor.Count > 0)
        {
            _bytesPerActor.Sort();
            Console.WriteLine($"// bytes per idle actor ({Kind}): median {_bytesPerActor[_bytesPerActor.Count / 2]:F0}, min {_bytesPerActor[0]:F0}, max {_bytesPerActor[^1]:F0} over {_bytesPerActor.Count} runs of {Count} actors");
        }
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void Create100kIdleActors()
    {
        var system = ActorSystem.Create("memory");
        var props = Kind == "Untyped" ? Props.Create<IdleUntyped>() : Props.Create<IdleReceive>();
        var done = new CountdownEvent(Count);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var actors = new IActorRef[Count];
        for (var i = 0; i < Count; i++)
        {
            actors[i] = system.ActorOf(props);
            actors[i].Tell(done);
        }

        done.Wait();
        var after = GC.GetTotalMemory(forceFullCollection: true);

        // The array of references is the benchmark's, not the actors' (8 bytes per actor + header).
        var arrayBytes = (Count * IntPtr.Size) + 32;
        _bytesPerActor.Add((double)(after - before - arrayBytes) / Count);
        GC.KeepAlive(actors);
        system.Terminate().Wait();
        done.Dispose();
    }

    private sealed class IdleUntyped : UntypedActor
    {
        protected override void OnReceive(object message) => ((CountdownEvent)message).Signal();
    }

    private sealed class IdleReceive : ReceiveActor
    {
        public IdleReceive() => Receive<CountdownEvent>(c => c.Signal());
    }
}
