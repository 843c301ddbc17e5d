using ActorHost.Workers;
using Microsoft.AspNetCore.Http;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// The real response under a <see cref="ResponseChannel"/>: Kestrel's <see cref="HttpResponse"/>.
/// </summary>
/// <remarks>
/// Two things Kestrel does not do for us. It may accept a write to a connection whose peer is gone
/// without complaint, so every operation checks <see cref="HttpContext.RequestAborted"/> before and after
/// and reports a gone peer as an <see cref="IOException"/>. And an <see cref="HttpContext"/> is recycled
/// once the endpoint returns, while a handler that ignored its cancellation may still be writing; so the
/// endpoint <see cref="CloseAsync">closes</see> the sink before it returns: later calls fail without
/// touching the context, and the close waits for a call already inside Kestrel to leave.
/// </remarks>
internal sealed class HttpResponseSink : IResponseSink
{
    // The calls inside Kestrel (low bits), the closed flag and the abort flag, in one word: entering and leaving take
    // one interlocked operation each, and closing a sink nobody aborted or waits on takes one more and no lock.
    private const int Closed = 1 << 30;
    private const int AbortAsked = 1 << 29;
    private const int ActiveMask = AbortAsked - 1;

    private readonly HttpContext _context;
    private readonly Func<bool>? _closeConnection;
    private readonly bool _headersWithFirstWrite;

    // Read once: Kestrel's RequestAborted getter takes a lock on every read, and the sink checks it around every call.
    private readonly CancellationToken _peerGone;

    // Made on first use: only an abort or a wait for calls to leave needs it, and most requests have neither.
    private Lock? _gate;
    private int _state;
    private TaskCompletionSource? _drained;
    private TaskCompletionSource? _idle;
    private Task? _aborting;

    // Bounds each step of an abort: a peer that stopped reading must not hold the request open.
    private static readonly TimeSpan AbortFlushBound = TimeSpan.FromSeconds(1);

    /// <summary>Creates the sink of one request's response.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="closeConnection">
    /// Asked as the response starts: true adds <c>Connection: close</c> (shutdown has stopped accepting, so the
    /// client should reconnect elsewhere rather than reuse this connection).
    /// </param>
    /// <param name="headersWithFirstWrite">
    /// True: <see cref="StartAsync"/> only sets the status and headers, and Kestrel sends them with the write, flush
    /// or completion that a <see cref="ResponseChannel"/> always makes right after it: one write into Kestrel's
    /// output instead of two. False: they are sent at once (a caller that may start a response and then wait).
    /// </param>
    public HttpResponseSink(HttpContext context, Func<bool>? closeConnection = null, bool headersWithFirstWrite = false)
        : this(context, context?.RequestAborted ?? default, closeConnection, headersWithFirstWrite)
    {
    }

    /// <summary>Creates the sink of one request's response, with the request's abort token already read.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="requestAborted">The context's <see cref="HttpContext.RequestAborted"/> (Kestrel's getter takes a lock on each read).</param>
    /// <param name="closeConnection">See the other constructor.</param>
    /// <param name="headersWithFirstWrite">See the other constructor.</param>
    public HttpResponseSink(HttpContext context, CancellationToken requestAborted, Func<bool>? closeConnection = null, bool headersWithFirstWrite = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _closeConnection = closeConnection;
        _headersWithFirstWrite = headersWithFirstWrite;
        _peerGone = requestAborted;
    }

    private Lock Gate => Volatile.Read(ref _gate) ?? CreateGate();

    public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Enter();
        try
        {
            ThrowIfPeerGone();
            HttpResponse response = _context.Response;
            response.StatusCode = statusCode;
            IHeaderDictionary responseHeaders = response.Headers;
            for (int i = 0; i < headers.Count; i++)
            {
                // Appended, so a header the handler gave several values (Set-Cookie) keeps all of them.
                responseHeaders.Append(headers[i].Key, headers[i].Value);
            }

            if (_closeConnection?.Invoke() == true)
            {
                responseHeaders.Connection = "close";
            }
        }
        finally
        {
            Exit();
        }

        return _headersWithFirstWrite ? ValueTask.CompletedTask : SendHeadersAsync(cancellationToken);
    }

    private async ValueTask SendHeadersAsync(CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            ThrowIfPeerGone();
            await _context.Response.StartAsync(cancellationToken);
            ThrowIfPeerGone();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw PeerGone();
        }
        finally
        {
            Exit();
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            ThrowIfPeerGone();
            await _context.Response.Body.WriteAsync(data, cancellationToken);
            ThrowIfPeerGone();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw PeerGone();
        }
        finally
        {
            Exit();
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Enter();
        try
        {
            ThrowIfPeerGone();
            await _context.Response.Body.FlushAsync(cancellationToken);
            ThrowIfPeerGone();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw PeerGone();
        }
        finally
        {
            Exit();
        }
    }

    public async ValueTask CompleteAsync()
    {
        Enter();
        try
        {
            ThrowIfPeerGone();
            await _context.Response.CompleteAsync();
        }
        catch (OperationCanceledException)
        {
            throw PeerGone();
        }
        finally
        {
            Exit();
        }
    }

    public void Abort()
    {
        lock (Gate)
        {
            // After close the context may already serve another request: never abort that one. The flag is set in
            // one step with that check, and under the lock until the abort is published: a close that sees the flag
            // takes the lock and so finds the abort to wait for.
            int state = Volatile.Read(ref _state);
            while ((state & (Closed | AbortAsked)) == 0)
            {
                int seen = Interlocked.CompareExchange(ref _state, state | AbortAsked, state);
                if (seen == state)
                {
                    _aborting = AbortWhenIdleAsync();
                    return;
                }

                state = seen;
            }
        }
    }

    // Bytes a handler wrote and flushed may not have reached the socket yet: Kestrel hands them to the
    // transport's send loop, and an abort cancels that loop. So the abort waits for any handler call to
    // leave Kestrel, flushes once more and lets the send loop run, and only then cuts the connection —
    // the client gets everything the log says was sent, then a reset.
    private async Task AbortWhenIdleAsync()
    {
        await Task.Yield();
        try
        {
            await WaitIdleAsync().WaitAsync(AbortFlushBound);
            if (!_peerGone.IsCancellationRequested)
            {
                await _context.Response.Body.FlushAsync(CancellationToken.None).WaitAsync(AbortFlushBound);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection is going away anyway; the abort below is what matters.
        }

        _context.Abort();
    }

    private Task WaitIdleAsync()
    {
        lock (Gate)
        {
            return WhenNoCallInside(ref _idle);
        }
    }

    // Called under the lock. The waiter is published before the count is read (both full fences): either this sees
    // the last call leave, or that call's Exit sees the waiter and completes it.
    private Task WhenNoCallInside(ref TaskCompletionSource? waiter)
    {
        TaskCompletionSource published = waiter ?? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref waiter, published);
        return (Volatile.Read(ref _state) & ActiveMask) == 0 ? Task.CompletedTask : published.Task;
    }

    /// <summary>
    /// Refuses every later call and completes once no call is inside Kestrel any more. The endpoint
    /// awaits it before returning, so the context is never touched after it is recycled.
    /// </summary>
    public Task CloseAsync()
    {
        // Closing and reading the count and the abort flag is one step: no call can enter, and no abort start, after it.
        int before = Interlocked.Or(ref _state, Closed);
        return (before & (ActiveMask | AbortAsked)) == 0 ? Task.CompletedTask : CloseSlowlyAsync(before);
    }

    private async Task CloseSlowlyAsync(int before)
    {
        Task drained;
        Task? aborting;
        lock (Gate)
        {
            aborting = _aborting;
            // A call is inside Kestrel, or was when the sink closed.
            drained = (before & ActiveMask) == 0 ? Task.CompletedTask : WhenNoCallInside(ref _drained);
        }

        await drained;
        if (aborting is not null)
        {
            await aborting;
        }
    }

    private void Enter()
    {
        int state = Volatile.Read(ref _state);
        while (true)
        {
            if ((state & Closed) != 0)
            {
                throw new IOException("The response is closed: the gateway already finished this request.");
            }

            int seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state)
            {
                return;
            }

            state = seen;
        }
    }

    private void Exit()
    {
        // The waiters are read after the decrement (a full fence), and each waiter publishes itself before it
        // reads the count, so a waiter is never missed; the lock is only for completing them.
        if ((Interlocked.Decrement(ref _state) & ActiveMask) != 0 || (Volatile.Read(ref _idle) is null && Volatile.Read(ref _drained) is null))
        {
            return;
        }

        lock (Gate)
        {
            int state = Volatile.Read(ref _state);
            if ((state & ActiveMask) == 0)
            {
                _idle?.TrySetResult();
                if ((state & Closed) != 0)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    /// <summary>Throws the sink's <see cref="IOException"/> when the peer is gone (for a caller that holds writes back).</summary>
    public void ThrowIfPeerGone()
    {
        if (_peerGone.IsCancellationRequested)
        {
            throw PeerGone();
        }
    }

    private static IOException PeerGone() => new("The client closed the connection.");

    private Lock CreateGate()
    {
        Interlocked.CompareExchange(ref _gate, new Lock(), null);
        return _gate!;
    }
}
