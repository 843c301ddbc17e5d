using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Workers;

/// <summary>
/// What a handler may see of a request. It carries no <c>HttpContext</c>, so the same request can be
/// served locally or forwarded to another node.
/// </summary>
public sealed class WorkerRequest
{
    private static readonly IReadOnlyDictionary<string, StringValues> NoValues = new Dictionary<string, StringValues>();
    private static readonly IReadOnlyDictionary<string, string?> NoRouteValues = new Dictionary<string, string?>();

    /// <summary>The request id the gateway assigned (also in logs and problem responses).</summary>
    public required string RequestId { get; init; }

    /// <summary>The route name from configuration (<c>actorhost.routes.&lt;name&gt;</c>).</summary>
    public required string Route { get; init; }

    /// <summary>HTTP method, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>Request path.</summary>
    public required string Path { get; init; }

    /// <summary>Values captured by the route template.</summary>
    public IReadOnlyDictionary<string, string?> RouteValues { get; init; } = NoRouteValues;

    /// <summary>Query string values.</summary>
    public IReadOnlyDictionary<string, StringValues> Query { get; init; } = NoValues;

    /// <summary>Request headers.</summary>
    public IReadOnlyDictionary<string, StringValues> Headers { get; init; } = NoValues;

    /// <summary>The Content-Type header, if any.</summary>
    public string? ContentType { get; init; }

    /// <summary>The declared body length, if known.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The request body (already limited to the configured maximum size).</summary>
    public Stream Body { get; init; } = Stream.Null;

    /// <summary>The entity key in entity mode; null in pool mode.</summary>
    public string? EntityKey { get; init; }

    /// <summary>
    /// Fires when the host starts shutting down. Finite handlers may ignore it; endless responses (SSE,
    /// long streams) should end cleanly when it fires — the request token fires later, at the end of grace.
    /// </summary>
    public CancellationToken ShutdownToken { get; init; }

    /// <summary>
    /// The rest of the body as one block of memory. The gateway buffers every body before dispatch, so this
    /// usually hands back the gateway's own buffer without copying it; any other stream is read to its end.
    /// Either way <see cref="Body"/> is at its end afterwards. The memory stays valid after the request ends.
    /// </summary>
    /// <param name="cancellationToken">Cancels reading a stream that is not buffered.</param>
    public ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken cancellationToken = default)
    {
        if (Body is MemoryStream buffered && buffered.TryGetBuffer(out ArraySegment<byte> visible))
        {
            // The segment starts at the stream's origin, which is where Position counts from.
            int position = (int)Math.Min(buffered.Position, visible.Count);
            buffered.Position = buffered.Length;
            return ValueTask.FromResult<ReadOnlyMemory<byte>>(visible.AsMemory(position));
        }

        return ReadUnbufferedAsync(Body, ContentLength, cancellationToken);
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadUnbufferedAsync(Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        // One spare byte past a declared length: the read that sees the end then needs no larger buffer.
        var copy = new ArrayBufferWriter<byte>(declaredLength is >= 0 and < 1 << 20 ? (int)declaredLength.Value + 1 : 16 * 1024);
        int read;
        while ((read = await body.ReadAsync(copy.GetMemory(1), cancellationToken)) > 0)
        {
            copy.Advance(read);
        }

        return copy.WrittenMemory;
    }

    /// <summary>A route value, or null.</summary>
    /// <param name="name">The template parameter name.</param>
    public string? RouteValue(string name) => RouteValues.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The first query value for a name, or null.</summary>
    /// <param name="name">The query parameter name.</param>
    public string? QueryValue(string name) => Query.TryGetValue(name, out StringValues values) && values.Count > 0 ? values[0] : null;
}
