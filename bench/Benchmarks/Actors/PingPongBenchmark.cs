using ActorHost.Actors;
using BenchmarkDotNet.Attributes;

namespace ActorHost.Benchmarks.Actors;

/// <summary>
/// One message in flight between two actors (tell ping-pong). One operation = one message; a round trip is two.
/// messages/s = 1e9 / (ns per op); ns per round trip = 2 × ns per op.
/// </summary>
[MemoryDiagnoser]
public class PingPongBenchmark() : CpuMeteredBenchmark("ping-pong message", RoundTrips * 2)
{
    private const int RoundTrips = 100_000;

    private ActorSystem _system = null!;
    private IActorRef _ping = null!;
    private IActorRef _pong = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("pingpong");
        _pong = _system.ActorOf(Props.Create<Ponger>(), "pong");
        _ping = _system.ActorOf(Props.Create<Pinger>(), "ping");
        Warmup.Run(TellPingPong, TimeSpan.FromSeconds(3));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Cpu.Report();
        _system.Terminate().Wait();
    }

    [Benchmark(OperationsPerInvoke = RoundTrips * 2)]
    public void TellPingPong()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ping.Tell(new Start(_pong, RoundTrips, done));
        done.Task.Wait();
    }

    private sealed record Start(IActorRef Partner, int RoundTrips, TaskCompletionSource Done);

    private sealed class Ball
    {
        public static readonly Ball Instance = new();
    }

    private sealed class Pinger : UntypedActor
    {
        private IActorRef _partner = null!;
        private int _remaining;
        private TaskCompletionSource? _done;

        protected override void OnReceive(object message)
        {
            if (message is Ball)
            {
                if (--_remaining == 0)
                {
                    _done!.SetResult();
                    return;
                }

                _partner.Tell(Ball.Instance, Self);
                return;
            }

            var start = (Start)message;
            _partner = start.Partner;
            _remaining = start.RoundTrips;
            _done = start.Done;
            _partner.Tell(Ball.Instance, Self);
        }
    }

    private sealed class Ponger : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }
}
