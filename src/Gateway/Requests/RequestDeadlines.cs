namespace ActorHost.Gateway.Requests;

/// <summary>
/// The route timeouts of every request that shares one timeout value, kept on one timer. Requests join in arrival
/// order and all wait the same time, so the list is also in deadline order: the timer only ever needs to wake for
/// its head. Compared with a timer per request this saves each request the timer's allocation and the timer queue's
/// bookkeeping (Kestrel keeps its own timeouts on one heartbeat for the same reason); deadlines stay exact, since
/// the timer is armed for the head's deadline rather than on a fixed tick.
/// </summary>
/// <remarks>
/// Every change to the list and every arming of the timer happens under one lock, so the timer's state always
/// matches the list: armed whenever a request waits, disarmed once none does. Removing a head leaves the timer
/// armed for the old deadline; it then wakes early once, finds nothing due and arms itself for the new head. Under
/// steady load the list never empties and a request costs two short lock sections and no timer call at all.
/// </remarks>
internal sealed class RequestDeadlines : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly long _timeoutTimestampTicks;
    private readonly Action<FinishedRequest> _onExpired;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private FinishedRequest? _head;
    private FinishedRequest? _tail;

    /// <param name="timeout">The timeout every request of this list waits; finite and positive.</param>
    /// <param name="onExpired">Called once for each request whose deadline passed, outside the lock.</param>
    /// <param name="timeProvider">The clock (tests drive it by hand).</param>
    public RequestDeadlines(TimeSpan timeout, Action<FinishedRequest> onExpired, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(onExpired);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _timeout = timeout;

        // Rounded up, so that no request is ever timed out before its full timeout has passed.
        _timeoutTimestampTicks = checked((long)Math.Ceiling(timeout.Ticks * (double)timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond));
        _onExpired = onExpired;

        // The list is made on its first request, and a timer captures the execution context it is made in: without
        // this, every later timeout would run in that first request's context (its activity, its log scopes) and keep
        // it alive for as long as the gateway runs.
        using (ExecutionContext.IsFlowSuppressed() ? (AsyncFlowControl?)null : ExecutionContext.SuppressFlow())
        {
            _timer = timeProvider.CreateTimer(static state => ((RequestDeadlines)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Requests waiting on this list (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                for (FinishedRequest? entry = _head; entry is not null; entry = entry.DeadlineNext)
                {
                    count++;
                }

                return count;
            }
        }
    }

    /// <summary>Starts a request's timeout now.</summary>
    public void Add(FinishedRequest request)
    {
        lock (_gate)
        {
            if (request.DeadlineState != DeadlineState.None)
            {
                throw new InvalidOperationException("A request's timeout is started once.");
            }

            // Read under the lock, so that the list stays in deadline order whatever the threads' interleaving.
            request.Deadline = _time.GetTimestamp() + _timeoutTimestampTicks;
            bool wasEmpty = _head is null;
            request.DeadlineState = DeadlineState.Waiting;
            request.DeadlinePrevious = _tail;
            if (_tail is null)
            {
                _head = request;
            }
            else
            {
                _tail.DeadlineNext = request;
            }

            _tail = request;
            if (wasEmpty)
            {
                // The timer is disarmed while the list is empty; this request is the new head.
                _timer.Change(_timeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Ends a request's timeout. If the timeout is expiring at this moment, the returned task completes once its
    /// callback has returned, so that nothing the request owns is released under it.
    /// </summary>
    public ValueTask RemoveAsync(FinishedRequest request)
    {
        lock (_gate)
        {
            switch (request.DeadlineState)
            {
                case DeadlineState.Waiting:
                    Unlink(request);
                    request.DeadlineState = DeadlineState.Ended;
                    if (_head is null)
                    {
                        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    }

                    return ValueTask.CompletedTask;

                case DeadlineState.Expiring:
                    request.DeadlineExpired ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return new ValueTask(request.DeadlineExpired.Task);

                default:
                    return ValueTask.CompletedTask;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void OnTimer()
    {
        // Made only when something expired (a timeout is rare, and answering it allocates anyway).
        List<FinishedRequest>? expired = null;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            while (_head is { } head && head.Deadline <= now)
            {
                Unlink(head);
                head.DeadlineState = DeadlineState.Expiring;
                (expired ??= []).Add(head);
            }

            // A one-shot timer that has fired is disarmed already: it needs arming only for a head still waiting.
            if (_head is { } next)
            {
                _timer.Change(_time.GetElapsedTime(now, next.Deadline), Timeout.InfiniteTimeSpan);
            }
        }

        if (expired is null)
        {
            return;
        }

        List<Exception>? failures = null;
        foreach (FinishedRequest request in expired)
        {
            try
            {
                _onExpired(request);
            }
            catch (Exception ex)
            {
                // A handler's cancellation callback threw. Every other expired request still gets its timeout;
                // the failure then goes on to the timer's thread, as it would have from a timer of its own.
                (failures ??= []).Add(ex);
            }
            finally
            {
                MarkExpired(request);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("A request's timeout callback failed.", failures);
        }
    }

    private void MarkExpired(FinishedRequest request)
    {
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            request.DeadlineState = DeadlineState.Ended;
            waiting = request.DeadlineExpired;
        }

        waiting?.TrySetResult();
    }

    // Called under the lock.
    private void Unlink(FinishedRequest request)
    {
        if (request.DeadlinePrevious is { } previous)
        {
            previous.DeadlineNext = request.DeadlineNext;
        }
        else
        {
            _head = request.DeadlineNext;
        }

        if (request.DeadlineNext is { } following)
        {
            following.DeadlinePrevious = request.DeadlinePrevious;
        }
        else
        {
            _tail = request.DeadlinePrevious;
        }

        request.DeadlinePrevious = null;
        request.DeadlineNext = null;
    }
}

/// <summary>Where a request is in its timeout (see <see cref="RequestDeadlines"/>).</summary>
internal enum DeadlineState
{
    /// <summary>No timeout started (the route has none, or the request was never dispatched).</summary>
    None,

    /// <summary>Listed, its deadline still ahead.</summary>
    Waiting,

    /// <summary>Its deadline passed and its timeout callback is running.</summary>
    Expiring,

    /// <summary>Taken off the list: answered before the deadline, or timed out.</summary>
    Ended,
}
