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
    private readonly HttpContext _context;
    private readonly Lock _gate = new();
    private int _active;
    private bool _closed;
    private TaskCompletionSource? _drained;
    private TaskCompletionSource? _idle;
    private Task? _aborting;

    // Bounds each step of an abort: a peer that stopped reading must not hold the request open.
    private static readonly TimeSpan AbortFlushBound = TimeSpan.FromSeconds(1);

    public HttpResponseSink(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    public async ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Enter();
        try
        {
            ThrowIfPeerGone();
            HttpResponse response = _context.Response;
            response.StatusCode = statusCode;
            foreach ((string name, string value) in headers)
            {
                // Appended, so a header the handler gave several values (Set-Cookie) keeps all of them.
                response.Headers.Append(name, value);
            }

            await response.StartAsync(cancellationToken);
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
        lock (_gate)
        {
            // After close the context may already serve another request: never abort that one.
            if (_closed || _aborting is not null)
            {
                return;
            }

            _aborting = AbortWhenIdleAsync();
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
            if (!_context.RequestAborted.IsCancellationRequested)
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
        lock (_gate)
        {
            if (_active == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>
    /// Refuses every later call and completes once no call is inside Kestrel any more. The endpoint
    /// awaits it before returning, so the context is never touched after it is recycled.
    /// </summary>
    public async Task CloseAsync()
    {
        Task drained;
        Task? aborting;
        lock (_gate)
        {
            _closed = true;
            aborting = _aborting;
            if (_active == 0)
            {
                drained = Task.CompletedTask;
            }
            else
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        await drained;
        if (aborting is not null)
        {
            await aborting;
        }
    }

    private void Enter()
    {
        lock (_gate)
        {
            if (_closed)
            {
                throw new IOException("The response is closed: the gateway already finished this request.");
            }

            _active++;
        }
    }

    private void Exit()
    {
        lock (_gate)
        {
            _active--;
            if (_active == 0)
            {
                _idle?.TrySetResult();
                if (_closed)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    private void ThrowIfPeerGone()
    {
        if (_context.RequestAborted.IsCancellationRequested)
        {
            throw PeerGone();
        }
    }

    private static IOException PeerGone() => new("The client closed the connection.");
}
