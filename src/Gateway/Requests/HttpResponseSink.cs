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
                response.Headers[name] = value;
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
            if (_closed)
            {
                return;
            }

            _active++;
        }

        try
        {
            _context.Abort();
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Refuses every later call and completes once no call is inside Kestrel any more. The endpoint
    /// awaits it before returning, so the context is never touched after it is recycled.
    /// </summary>
    public Task CloseAsync()
    {
        lock (_gate)
        {
            _closed = true;
            if (_active == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
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
            if (_closed && _active == 0)
            {
                _drained?.TrySetResult();
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
