using System.Buffers;
using System.Globalization;
using ActorHost.Cluster.Forwarding;
using ActorHost.Gateway.Requests;
using ActorHost.Workers;

namespace ActorHost.Gateway.Cluster;

/// <summary>
/// The response sink of a forwarded request: like the normal one, except that it never ends the HTTP/2
/// stream itself. Completing and cutting off are decided by the node that received the client's request,
/// from the outcome this node sends in the trailers — so a clean end only records itself here, and a cut-off
/// becomes "end the stream, trailers say failed", which the sender turns into the real abort of its client.
/// </summary>
/// <remarks>
/// A response that the handler writes without flushing and finishes within <see cref="WholeResponse.MaxBytes"/>
/// goes to the sender in one piece, marked whole and with its <c>Content-Length</c> (<see cref="WholeResponse"/>). A flush
/// (a streaming handler) or more bytes than that send what is held at once, and the rest goes through as written.
/// </remarks>
internal sealed class ForwardedResponseSink : IResponseSink
{
    private readonly HttpResponseSink _inner;
    private readonly bool _mayDeclareLength;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _held = new();
    private int _status;
    private List<KeyValuePair<string, string>>? _headers;

    // Null while the response is held; once set, the held part is being (or has been) passed on, and every later
    // call goes straight through after it.
    private Task? _released;
    private int _heldPassedOn;

    /// <summary>Creates the sink of one forwarded request.</summary>
    /// <param name="inner">The real response to the sender.</param>
    /// <param name="method">The request's method: a HEAD response never declares a length (it is the GET's).</param>
    public ForwardedResponseSink(HttpResponseSink inner, string method)
    {
        _inner = inner;
        _mayDeclareLength = !string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);
    }

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        // The ActorHost-* names are the protocol's: a worker's header of that name must not pose as the
        // owner's verdict or identity on the sending node.
        List<KeyValuePair<string, string>> kept = [.. headers.Where(h => !h.Key.StartsWith("ActorHost-", StringComparison.OrdinalIgnoreCase))];
        lock (_gate)
        {
            _status = statusCode;
            _headers = kept;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // A held write still fails at once when the sender is gone, as a write through would.
        _inner.ThrowIfPeerGone();
        lock (_gate)
        {
            if (_released is null && _held.WrittenCount + data.Length <= WholeResponse.MaxBytes)
            {
                _held.Write(data.Span);
                return ValueTask.CompletedTask;
            }
        }

        return WriteThroughAsync(data, cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await ReleaseAsync(whole: false, cancellationToken);
        await _inner.FlushAsync(cancellationToken);
    }

    public async ValueTask CompleteAsync()
    {
        await ReleaseAsync(whole: true, CancellationToken.None);
        await _inner.FlushAsync(CancellationToken.None);
    }

    public void Abort()
    {
        // The trailers carry the abort to the sender; resetting the stream here would lose them. What was held
        // goes out first (SendHeldAsync), so the sender sees what the handler wrote, as it would have locally.
    }

    /// <summary>
    /// Bytes the handler wrote that are still held here, never passed on to the sender (it went away first, or
    /// the response was not released yet). The channel counts what this sink accepted; the request-finished line
    /// subtracts these, so that it gives what really left the node.
    /// </summary>
    public long UnsentBytes
    {
        get
        {
            lock (_gate)
            {
                return Volatile.Read(ref _heldPassedOn) == 1 ? 0 : _held.WrittenCount;
            }
        }
    }

    /// <summary>
    /// Passes on whatever is still held (status, headers, body) before the endpoint ends a response that did not
    /// complete cleanly. Does nothing when nothing was started or everything already went out.
    /// </summary>
    public ValueTask SendHeldAsync() => ReleaseAsync(whole: false, CancellationToken.None);

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await ReleaseAsync(whole: false, cancellationToken);
        await _inner.WriteAsync(data, cancellationToken);
    }

    private ValueTask ReleaseAsync(bool whole, CancellationToken cancellationToken)
    {
        TaskCompletionSource mine;
        lock (_gate)
        {
            if (_released is not null)
            {
                return new ValueTask(_released);
            }

            if (_headers is null)
            {
                // Never started: the gateway answers with its verdict instead.
                return ValueTask.CompletedTask;
            }

            mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = mine.Task;
            if (whole)
            {
                _headers.Add(new(ForwardHeaders.Whole, "1"));
                if (_mayDeclareLength && MayHaveBody(_status) && !_headers.Exists(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)))
                {
                    _headers.Add(new("Content-Length", _held.WrittenCount.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }

        return new ValueTask(PassOnAsync(mine, cancellationToken));
    }

    private async Task PassOnAsync(TaskCompletionSource done, CancellationToken cancellationToken)
    {
        try
        {
            await _inner.StartAsync(_status, _headers!, cancellationToken);
            if (_held.WrittenCount > 0)
            {
                await _inner.WriteAsync(_held.WrittenMemory, cancellationToken);
            }

            Volatile.Write(ref _heldPassedOn, 1);
            done.SetResult();
        }
        catch (Exception ex)
        {
            // Every call waiting behind the release sees the same failure (a gone peer, most often).
            done.SetException(ex);
            _ = done.Task.Exception; // observed here: the caller rethrows it
            throw;
        }
    }

    private static bool MayHaveBody(int status) => status is >= 200 and not 204 and not 304;
}
