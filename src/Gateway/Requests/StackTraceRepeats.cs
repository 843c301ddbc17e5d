using System.Collections.Concurrent;
using System.Globalization;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// Decides what the request-finished line shows of a failure's exception when
/// <c>actorhost.logging.stack-traces = first-per-window</c>: the first failure of a kind in each window keeps
/// its full stack trace; the same failure again (same route, exception type and throwing method) shows its own
/// type and message and names the request whose line has the stack trace.
/// </summary>
/// <remarks>
/// Rendering a stack trace resolves every frame's attributes and source line through reflection, about 30 µs
/// per failure: in a failure storm most of a failure's cost. The line itself (its outcome, status and error type)
/// is unchanged; only the exception text of a repeat is the short one. Messages are not part of the kind: they
/// often carry ids, and every line shows its own.
/// </remarks>
internal sealed class StackTraceRepeats
{
    // Distinct kinds tracked per window. Past this, failures are logged in full rather than tracked, so the
    // table stays bounded whatever fails.
    private const int MaxKinds = 1024;

    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<FailureKind, FirstFailure> _shown = new();
    private long _windowStart;

    // The table's size, kept apart: ConcurrentDictionary.Count takes every lock, and this is read per new kind.
    private int _kinds;

    public StackTraceRepeats(TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _window = window;
        _time = time;
        _windowStart = time.GetTimestamp();
    }

    /// <summary>The exception to put on the line: <paramref name="error"/> itself, or a summary of a repeat.</summary>
    /// <param name="route">The request's route.</param>
    /// <param name="requestId">The request's id (named by later repeats when this one shows the stack trace).</param>
    /// <param name="error">The failure.</param>
    public Exception ForLine(string route, string requestId, Exception error)
    {
        long now = _time.GetTimestamp();
        long start = Volatile.Read(ref _windowStart);
        if (_time.GetElapsedTime(start, now) >= _window && Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            // A new window: every kind shows its stack trace once more.
            _shown.Clear();
            Volatile.Write(ref _kinds, 0);
        }

        var kind = new FailureKind(route, error.GetType(), error.TargetSite);
        if (_shown.TryGetValue(kind, out FirstFailure? first))
        {
            return new RepeatedFailureException(error, first.RequestId, first.At, Interlocked.Increment(ref first.Repeats));
        }

        if (Volatile.Read(ref _kinds) < MaxKinds && _shown.TryAdd(kind, new FirstFailure(requestId, _time.GetUtcNow())))
        {
            Interlocked.Increment(ref _kinds);
        }

        return error;
    }

    private readonly record struct FailureKind(string Route, Type Type, System.Reflection.MethodBase? Site);

    private sealed class FirstFailure(string requestId, DateTimeOffset at)
    {
        public long Repeats;

        public string RequestId { get; } = requestId;

        public DateTimeOffset At { get; } = at;
    }
}

/// <summary>
/// What the request-finished line carries for a failure whose stack trace an earlier line already showed: the
/// failure's own type and message, and where the full trace is.
/// </summary>
internal sealed class RepeatedFailureException : Exception
{
    /// <summary>Creates the summary of a repeated failure.</summary>
    /// <param name="failure">The repeated failure.</param>
    /// <param name="firstRequestId">The request whose line shows the stack trace.</param>
    /// <param name="firstAt">When that request failed.</param>
    /// <param name="repeat">How many repeats this window has seen, this one included.</param>
    public RepeatedFailureException(Exception failure, string firstRequestId, DateTimeOffset firstAt, long repeat)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"{failure.GetType().FullName}: {failure.Message} (repeat {repeat} of the failure whose stack trace is on the line of request {firstRequestId} at {firstAt:O})"))
    {
        Failure = failure;
        FirstRequestId = firstRequestId;
    }

    /// <summary>The repeated failure itself.</summary>
    public Exception Failure { get; }

    /// <summary>The request whose request-finished line shows the stack trace.</summary>
    public string FirstRequestId { get; }

    /// <summary>The summary only: this exception was never thrown and has no stack trace of its own.</summary>
    public override string ToString() => Message;
}
