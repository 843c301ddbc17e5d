using System.Diagnostics.Tracing;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using ActorHost.Workers.Runtime;
using ActorHost.Workers.Samples;
using Microsoft.Extensions.DependencyInjection;

// Creates N counter entities through the worker runtime directly (no HTTP), then reports the managed heap that
// stays after a full blocking GC, per entity, and which types the creation allocated (sampled by the runtime's
// AllocationTick events, about one per 100 KB). Usage: EntityHeap [N] [--types]
int count = args.FirstOrDefault(a => char.IsDigit(a[0])) is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 100_000;
bool types = args.Contains("--types");

var services = new ServiceCollection();
services.AddSampleWorkers();
using ServiceProvider provider = services.BuildServiceProvider();
var options = new WorkerRuntimeOptions
{
    Routes = new Dictionary<string, RouteOptions>
    {
        ["counter"] = new()
        {
            Name = "counter", Path = "/counter/{id}/{**action}", Worker = "counter", Mode = RouteMode.Entity, EntityKey = "id",
            Supervision = "default", PassivateAfter = TimeSpan.FromMinutes(30),
        },
    },
};
var runtime = new WorkerRuntime(options, provider);
await runtime.Ready;

await SendAsync(runtime, 0);
long before = Heap();
using var sampler = types ? new AllocationSampler() : null;
const int Window = 256;
var inFlight = new List<Task>(Window);
for (int i = 1; i <= count; i++)
{
    inFlight.Add(SendAsync(runtime, i));
    if (inFlight.Count == Window)
    {
        await Task.WhenAll(inFlight);
        inFlight.Clear();
    }
}

await Task.WhenAll(inFlight);
sampler?.Stop();
long after = Heap();
Console.WriteLine($"managed heap after a full GC: before {before / 1024} KB, after {after / 1024} KB, {(after - before) / count} bytes per entity ({count} entities)");
if (sampler is not null)
{
    Console.WriteLine("allocated while creating them (sampled), bytes per entity by type:");
    foreach ((string type, long bytes) in sampler.ByType.OrderByDescending(t => t.Value).Take(40))
    {
        Console.WriteLine($"  {bytes / count,8}  {type}");
    }
}

GC.KeepAlive(runtime);
await runtime.StopAsync(TimeSpan.FromSeconds(10));

static long Heap()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

static async Task SendAsync(WorkerRuntime runtime, int id)
{
    string key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    var sink = new DiscardingSink();
    var request = new WorkerRequest
    {
        RequestId = "r" + key,
        Route = "counter",
        Method = "POST",
        Path = "/counter/" + key + "/increment",
        RouteValues = new Dictionary<string, string?>(StringComparer.Ordinal) { ["id"] = key, ["action"] = "increment" },
        EntityKey = key,
    };
    RequestEnvelope envelope = runtime.CreateEnvelope(request, sink);
    runtime.Dispatch(envelope);
    await sink.Done.Task;
}

/// <summary>A response that goes nowhere; completes when the worker completes it.</summary>
internal sealed class DiscardingSink : IResponseSink
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync()
    {
        Done.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public void Abort() => Done.TrySetResult();
}

/// <summary>Sums the runtime's GCAllocationTick events by type name (each stands for about 100 KB allocated).</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Lock _gate = new();
    private bool _stopped;

    public Dictionary<string, long> ByType { get; } = new(StringComparer.Ordinal);

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames!.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        string type = typeIndex >= 0 ? eventData.Payload[typeIndex]?.ToString() ?? "?" : "?";
        long amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_gate)
        {
            if (!_stopped)
            {
                ByType[type] = ByType.GetValueOrDefault(type) + amount;
            }
        }
    }
}
