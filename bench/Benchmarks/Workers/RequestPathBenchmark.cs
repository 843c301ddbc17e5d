using ActorHost.Benchmarks.Actors;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using ActorHost.Workers.Runtime;
using ActorHost.Workers.Samples;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Benchmarks.Workers;

/// <summary>
/// The worker runtime's share of a gateway request, without HTTP: 64 callers each build a request, dispatch
/// it and await its result, like the gateway's endpoint under <c>wrk -c64</c>, against the sample echo worker
/// (a pool of 16, 1 KB body) and the sample counter (entities over 1,000 ids). The response goes to a sink
/// that only counts bytes, so what is measured is the envelope, the actor hop, the handler, the response
/// channel and the completion. One operation = one request; the CPU per request is printed at the end.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmark() : CpuMeteredBenchmark("request", Callers * RequestsPerCaller)
{
    private const int Callers = 64;
    private const int RequestsPerCaller = 2_000;
    private const int Entities = 1_000;

    private static readonly byte[] Body = new byte[1024];
    private static readonly Dictionary<string, StringValues> NoQuery = [];
    private static readonly Dictionary<string, StringValues> Headers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "127.0.0.1",
        ["Content-Type"] = "application/octet-stream",
        ["Content-Length"] = "1024",
    };

    private ServiceProvider _services = null!;
    private WorkerRuntime _runtime = null!;
    private string[] _keys = null!;

    [Params("echo", "counter")]
    public string Route { get; set; } = "echo";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddSampleWorkers();
        _services = services.BuildServiceProvider();
        var options = new WorkerRuntimeOptions
        {
            Routes = new Dictionary<string, RouteOptions>
            {
                ["echo"] = new() { Name = "echo", Path = "/echo", Worker = "echo", Mode = RouteMode.Pool, Instances = 16, Supervision = "default" },
                ["counter"] = new() { Name = "counter", Path = "/counter/{id}/{**action}", Worker = "counter", Mode = RouteMode.Entity, EntityKey = "id", Supervision = "default" },
            },
            Strategies = new Dictionary<string, SupervisionStrategyOptions>(WorkerRuntimeOptions.DefaultStrategies()),
        };
        _runtime = new WorkerRuntime(options, _services);
        _runtime.Ready.Wait();
        _keys = [.. Enumerable.Range(1, Entities).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Warmup.Run(SixtyFourCallers, TimeSpan.FromSeconds(3));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Cpu.Report();
        _runtime.DisposeAsync().AsTask().Wait();
        _services.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Callers * RequestsPerCaller)]
    public void SixtyFourCallers()
    {
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            callers[c] = Caller(c);
        }

        Task.WaitAll(callers);
    }

    private async Task Caller(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < RequestsPerCaller; i++)
        {
            WorkerRequest request = Route == "echo" ? EchoRequest() : CounterRequest(_keys[random.Next(Entities)]);
            using RequestEnvelope envelope = _runtime.CreateEnvelope(request, new CountingSink());
            _runtime.Dispatch(envelope);
            RequestResult result = await envelope.Completion;
            if (result.Outcome != RequestOutcome.Ok)
            {
                throw new InvalidOperationException($"request failed: {result.Outcome} {result.Error}");
            }

            // What the gateway does next: end the response, and dispose once the handler has left.
            await envelope.Response.CompleteAsync();
            await envelope.HandlerExited;
        }
    }

    private WorkerRequest EchoRequest() => new()
    {
        RequestId = "bench",
        Route = "echo",
        Method = "POST",
        Path = "/echo",
        RouteValues = new Dictionary<string, string?>(),
        Query = NoQuery,
        Headers = Headers,
        ContentType = "application/octet-stream",
        ContentLength = Body.Length,
        Body = new MemoryStream(Body, writable: false),
        ShutdownToken = _runtime.ShutdownToken,
    };

    private WorkerRequest CounterRequest(string key) => new()
    {
        RequestId = "bench",
        Route = "counter",
        Method = "POST",
        Path = "/counter/" + key + "/increment",
        RouteValues = new Dictionary<string, string?> { ["id"] = key, ["action"] = "increment" },
        Query = NoQuery,
        Headers = Headers,
        EntityKey = key,
        Body = Stream.Null,
        ShutdownToken = _runtime.ShutdownToken,
    };

    /// <summary>A response that goes nowhere: it only takes the bytes.</summary>
    private sealed class CountingSink : IResponseSink
    {
        public long Bytes { get; private set; }

        public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) => default;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Bytes += data.Length;
            return default;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

        public ValueTask CompleteAsync() => default;

        public void Abort()
        {
        }
    }
}
