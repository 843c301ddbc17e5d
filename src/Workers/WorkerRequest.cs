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

    // The body stream: set by whoever made the request, or made over BufferedBody on first use.
    private Stream? _body;
    // True once ReadBodyAsync handed out BufferedBody before any stream was made: the body is then read to its end.
    private bool _bufferedBodyRead;

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
    /// <remarks>
    /// When the request was made with <see cref="BufferedBody"/> (as the gateway makes every request), the stream over
    /// it is made on first use: a handler that reads the body with <see cref="ReadBodyAsync"/> never needs one.
    /// </remarks>
    public Stream Body
    {
        get => _body ??= BufferedBody is { Length: > 0 } buffered ? StreamOver(buffered, atEnd: _bufferedBodyRead) : Stream.Null;
        init => _body = value;
    }

    /// <summary>
    /// The whole body, when the host read it into memory before dispatch (the gateway buffers every body, up to
    /// <c>max-request-body-size</c>); null when the body is only a stream. <see cref="Body"/> reads these bytes unless
    /// a stream was given as well.
    /// </summary>
    public ReadOnlyMemory<byte>? BufferedBody { get; init; }

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
        if (_body is null && BufferedBody is { } whole)
        {
            // No stream yet: the buffered bytes themselves, and the body counts as read (a stream made later is at its end).
            ReadOnlyMemory<byte> rest = _bufferedBodyRead ? ReadOnlyMemory<byte>.Empty : whole;
            _bufferedBodyRead = true;
            return ValueTask.FromResult(rest);
        }

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

    private static MemoryStream StreamOver(ReadOnlyMemory<byte> bytes, bool atEnd)
    {
        MemoryStream stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true)
            : new MemoryStream(bytes.ToArray(), 0, bytes.Length, writable: false, publiclyVisible: true);
        if (atEnd)
        {
            stream.Position = stream.Length;
        }

        return stream;
    }

    /// <summary>A route value, or null.</summary>
    /// <param name="name">The template parameter name.</param>
    public string? RouteValue(string name) => RouteValues.TryGetValue(name, out string? value) ? value : null;

    /// <summary>The first query value for a name, or null.</summary>
    /// <param name="name">The query parameter name.</param>
    public string? QueryValue(string name) => Query.TryGetValue(name, out StringValues values) && values.Count > 0 ? values[0] : null;
}
