using System.Text.Json;

namespace ActorHost.Gateway.Management.Events;

/// <summary>
/// One entry of the <c>/events</c> stream: a sequential id (the SSE <c>id:</c>), a type (the SSE
/// <c>event:</c>) and its JSON data, serialised the first time a reader asks for it and then kept.
/// </summary>
/// <remarks>
/// Serialising on append cost every failure a reflection-based serialisation under the ring's lock, even
/// with no dashboard open; the data objects are immutable, so serialising later says the same thing.
/// </remarks>
internal sealed class ManagementEvent
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    private readonly DateTimeOffset _time;
    private readonly object _data;
    private string? _json;

    /// <param name="id">Sequential, gap-free, starting at 1.</param>
    /// <param name="type">E.g. <c>worker.failed</c>, <c>requests</c>.</param>
    /// <param name="time">When it happened.</param>
    /// <param name="data">What happened: an immutable object, serialised with web defaults.</param>
    public ManagementEvent(long id, string type, DateTimeOffset time, object data)
    {
        Id = id;
        Type = type;
        _time = time;
        _data = data;
    }

    public long Id { get; }

    public string Type { get; }

    /// <summary>The data line (a JSON object that also carries the id, type and time).</summary>
    public string Json
    {
        get
        {
            if (Volatile.Read(ref _json) is { } json)
            {
                return json;
            }

            // Two readers may both serialise the first time; they produce the same text and one of them is kept.
            json = JsonSerializer.Serialize(new Envelope(Id, Type, _time, _data), Options);
            Interlocked.CompareExchange(ref _json, json, null);
            return _json!;
        }
    }

    private sealed record Envelope(long Id, string Type, DateTimeOffset Time, object Data);
}
