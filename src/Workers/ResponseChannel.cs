using System.Diagnostics.CodeAnalysis;
using ActorHost.Workers.Faults;

namespace ActorHost.Workers;

/// <summary>
/// Owns one real response and tracks what the client has really received: not started → started →
/// completed, or sealed (the gateway answers itself) or aborted (truncated), plus the status sent and
/// the bytes written. The status a client gets after a failure is decided from this state, never from
/// the exception.
/// </summary>
/// <remarks>
/// A handler and the gateway (timeout, shutdown, supervision) may act on the same response from
/// different threads; every state transition happens under one lock so exactly one of them decides
/// what goes on the wire. The lock is never held across I/O.
/// </remarks>
public sealed class ResponseChannel
{
    private readonly IResponseSink _sink;
    private readonly RequestEnvelope _owner;
    private readonly CancellationToken _handlerToken;
    // Room for two headers (a content type and a length, which most responses set) before the list grows.
    private readonly List<KeyValuePair<string, string>> _headers = new(2);
    // Changed only under the lock; volatile so that reading one of them alone needs no lock (a handler and
    // the gateway read them several times per request).
    private volatile ResponseState _state;
    private volatile int _statusCode = 200;
    private volatile int _statusSent;
    private long _bytesWritten;
    private volatile Exception? _peerClosedBy;

    /// <summary>
    /// The channel of an envelope (made by <see cref="RequestEnvelope"/>): refusals are reported as cancellation of the
    /// envelope's handler token, and a gone peer cancels that token with <see cref="RequestOutcome.PeerClosed"/>.
    /// </summary>
    internal ResponseChannel(IResponseSink sink, RequestEnvelope owner)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _owner = owner;
        _handlerToken = owner.HandlerToken;
    }

    // The header list doubles as the lock: it is private, made for every channel anyway, and never locked by
    // anything else, so the channel needs no lock object of its own (one allocation less per request).
    private object Gate => _headers;

    /// <summary>Where the response is in its life.</summary>
    public ResponseState State => _state;

    /// <summary>True once the status line went out (or the response ended in any way).</summary>
    public bool HasStarted => State != ResponseState.NotStarted;

    /// <summary>The status the handler set; it goes on the wire with the first write.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 100);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 599);
            lock (Gate)
            {
                ThrowIfStarted();
                _statusCode = value;
            }
        }
    }

    /// <summary>The status really sent to the client, or 0 when nothing was sent.</summary>
    public int StatusSent => _statusSent;

    /// <summary>Body bytes the sink accepted.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>The write failure that showed the peer was gone, if any.</summary>
    public Exception? PeerClosedBy => _peerClosedBy;

    /// <summary>Sets (or replaces) a response header. Only before the response started.</summary>
    /// <param name="name">Header name.</param>
    /// <param name="value">Header value.</param>
    public void SetHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (Gate)
        {
            ThrowIfStarted();
            for (int i = _headers.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    _headers.RemoveAt(i);
                }
            }

            _headers.Add(new(name, value));
        }
    }

    /// <summary>Adds a response header value, keeping earlier values of the same name (e.g. Set-Cookie). Only before the response started.</summary>
    /// <param name="name">Header name.</param>
    /// <param name="value">Header value.</param>
    public void AppendHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (Gate)
        {
            ThrowIfStarted();
            _headers.Add(new(name, value));
        }
    }

    /// <summary>Writes body bytes, starting the response on the first call.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="OperationCanceledException">
    /// The response was taken over by the gateway, cut off, or the peer is gone; the handler should stop.
    /// </exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken);
        try
        {
            await _sink.WriteAsync(data, cancellationToken);
        }
        catch (InjectedWriteFaultException injected)
        {
            // An injected handler failure, whatever its type: the handler gets the rule's exception.
            throw injected.Fault;
        }
        catch (Exception ex) when (IsPeerGone(ex, cancellationToken))
        {
            throw PeerClosed(ex);
        }

        Interlocked.Add(ref _bytesWritten, data.Length);
    }

    /// <summary>Pushes buffered bytes to the client, starting the response if needed.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await EnsureStartedAsync(cancellationToken);
        try
        {
            await _sink.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (IsPeerGone(ex, cancellationToken))
        {
            throw PeerClosed(ex);
        }
    }

    /// <summary>
    /// Ends the response cleanly after a successful handler. Sends the headers first if nothing was
    /// written. Returns false when the response was already sealed, aborted or completed, or the peer is gone.
    /// When the end fails for another reason (the sink throws, an injected <c>after-bytes</c> fault strikes), the
    /// response is cut off (<see cref="State"/> becomes <see cref="ResponseState.Aborted"/>) and the exception is thrown.
    /// </summary>
    public async ValueTask<bool> CompleteAsync()
    {
        bool mustStart;
        IReadOnlyList<KeyValuePair<string, string>> headers;
        int status;
        lock (Gate)
        {
            if (_state is not (ResponseState.NotStarted or ResponseState.Started) || _peerClosedBy is not null)
            {
                return false;
            }

            mustStart = _state == ResponseState.NotStarted;
            status = _statusCode;
            // No copy: once the response has started, the list can no longer change.
            headers = mustStart ? _headers : [];
            if (mustStart)
            {
                _statusSent = status;
            }

            _state = ResponseState.Completed;
        }

        try
        {
            if (mustStart)
            {
                await _sink.StartAsync(status, headers, CancellationToken.None);
            }

            await _sink.CompleteAsync();
            return true;
        }
        catch (InjectedWriteFaultException injected)
        {
            CutOffFailedCompletion();
            throw injected.Fault;
        }
        catch (Exception ex) when (IsPeerGone(ex, CancellationToken.None))
        {
            RecordPeerClosed(ex);
            return false;
        }
        catch
        {
            CutOffFailedCompletion();
            throw;
        }
    }

    // The state already says Completed (set before the I/O, so that nobody else acts on the response meanwhile), but
    // the clean end never went out. Left so, the host would skip its abort and its server would end the response
    // normally: the client would take a response whose handler failed for whole. So it is cut off here.
    private void CutOffFailedCompletion()
    {
        lock (Gate)
        {
            _state = ResponseState.Aborted;
        }

        _sink.Abort();
    }

    /// <summary>
    /// Lets the gateway take over a response that has not started, so it can answer with its own status
    /// (500, 503, 504, 499). Returns false when the response already started: the gateway must then
    /// <see cref="Abort"/> instead of faking a status.
    /// </summary>
    public bool TrySeal()
    {
        lock (Gate)
        {
            if (_state != ResponseState.NotStarted)
            {
                return _state == ResponseState.Sealed;
            }

            _state = ResponseState.Sealed;
            return true;
        }
    }

    /// <summary>
    /// Cuts the response off: the client sees a truncated response, never a clean end. Returns false
    /// when the response had already completed (nothing to cut).
    /// </summary>
    public bool Abort()
    {
        lock (Gate)
        {
            if (_state is ResponseState.Completed or ResponseState.Aborted)
            {
                return _state == ResponseState.Aborted;
            }

            _state = ResponseState.Aborted;
        }

        _sink.Abort();
        return true;
    }

    private async ValueTask EnsureStartedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers;
        int status;
        lock (Gate)
        {
            if (_peerClosedBy is not null || _state is ResponseState.Sealed or ResponseState.Aborted)
            {
                throw new OperationCanceledException(
                    "The response is no longer the handler's to write: " + RefusalReason() + ".", _peerClosedBy, _handlerToken);
            }

            if (_state == ResponseState.Completed)
            {
                throw new InvalidOperationException("The response has already completed.");
            }

            if (_state == ResponseState.Started)
            {
                return;
            }

            _state = ResponseState.Started;
            _statusSent = _statusCode;
            status = _statusCode;

            // No copy: once the response has started, the list can no longer change.
            headers = _headers;
        }

        try
        {
            await _sink.StartAsync(status, headers, cancellationToken);
        }
        catch (Exception ex) when (IsPeerGone(ex, cancellationToken))
        {
            throw PeerClosed(ex);
        }
    }

    private string RefusalReason() =>
        _peerClosedBy is not null ? "the peer closed the connection"
        : _state == ResponseState.Sealed ? "the gateway answered it"
        : "it was cut off";

    private OperationCanceledException PeerClosed(Exception cause)
    {
        RecordPeerClosed(cause);
        return new OperationCanceledException("The peer closed the connection during a response write.", cause, _handlerToken);
    }

    private void RecordPeerClosed(Exception cause)
    {
        lock (Gate)
        {
            if (_peerClosedBy is not null)
            {
                return;
            }

            _peerClosedBy = cause;
        }

        _owner.Cancel(RequestOutcome.PeerClosed);
    }

    // A write that fails because the caller cancelled it is not a peer reset; the other I/O, cancellation and
    // disposal failures the sink throws are the transport telling us the peer is gone. (An injected after-bytes
    // fault arrives wrapped, so it never matches here.)
    private static bool IsPeerGone(Exception ex, CancellationToken cancellationToken) =>
        ex is IOException or ObjectDisposedException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void ThrowIfStarted()
    {
        if (_state != ResponseState.NotStarted)
        {
            throw new InvalidOperationException("The response has already started; its status and headers can no longer change.");
        }
    }

    /// <summary>Returns the headers set so far (for tests and diagnostics).</summary>
    [SuppressMessage("Design", "CA1024:Use properties where appropriate", Justification = "Takes a copy under the lock.")]
    public IReadOnlyList<KeyValuePair<string, string>> GetHeaders()
    {
        lock (Gate)
        {
            return _headers.ToArray();
        }
    }
}
