using Xunit;

namespace ActorHost.Actors.TestKit;

/// <summary>
/// Records everything published on an actor system's event stream (from its creation) and answers
/// expectations about it. Each <c>Expect…</c> takes the first matching event not taken by an earlier
/// expectation, waiting for it if needed (earlier non-matching events stay available). Thread-safe.
/// </summary>
public sealed class EventRecorder : IDisposable
{
    private readonly object _gate = new();
    private readonly List<object> _events = [];
    private readonly HashSet<int> _taken = [];
    private readonly EventSubscription<object> _subscription;
    private readonly TimeSpan _defaultTimeout;

    internal EventRecorder(ActorSystem system, TimeSpan defaultTimeout)
    {
        _defaultTimeout = defaultTimeout;
        _subscription = system.EventStream.Subscribe<object>(capacity: 1_000_000);
        _ = Task.Run(PumpAsync);
    }

    /// <summary>Events dropped because the recorder fell behind (should stay 0).</summary>
    public long DroppedCount => _subscription.DroppedCount;

    /// <summary>A snapshot of every recorded event of type <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> All<T>(Func<T, bool>? match = null)
    {
        lock (_gate)
        {
            return [.. _events.OfType<T>().Where(e => match is null || match(e))];
        }
    }

    /// <summary>Number of recorded events of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public int Count<T>(Func<T, bool>? match = null) => All(match).Count;

    /// <summary>Waits for (and takes) the first not-yet-taken event of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    /// <param name="match">Which events qualify; <see langword="null"/> = any of type <typeparamref name="T"/>.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> = the default; <see cref="Timeout.InfiniteTimeSpan"/> = no limit.</param>
    public T Expect<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DeadlineAfter(timeout ?? _defaultTimeout);
        lock (_gate)
        {
            while (true)
            {
                for (var i = 0; i < _events.Count; i++)
                {
                    if (!_taken.Contains(i) && _events[i] is T typed && (match is null || match(typed)))
                    {
                        _taken.Add(i);
                        return typed;
                    }
                }

                var left = TimeLeft(deadline);
                if (deadline is not null && left <= TimeSpan.Zero)
                {
                    Assert.Fail($"Timeout waiting for a {typeof(T).Name} event. Recorded events:{Environment.NewLine}{Describe()}");
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>
    /// Asserts that exactly <paramref name="expected"/> matching events are recorded: waits until that many
    /// arrived (within <paramref name="timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> = no limit), then waits
    /// <paramref name="settle"/> (default 100 ms) for extra ones that should not come.
    /// </summary>
    public IReadOnlyList<T> ExpectCount<T>(int expected, Func<T, bool>? match = null, TimeSpan? timeout = null, TimeSpan? settle = null)
    {
        var deadline = DeadlineAfter(timeout ?? _defaultTimeout);
        lock (_gate)
        {
            while (CountUnlocked(match) < expected)
            {
                var left = TimeLeft(deadline);
                if (deadline is not null && left <= TimeSpan.Zero)
                {
                    Assert.Fail($"Expected {expected} {typeof(T).Name} events, got {CountUnlocked(match)}. Recorded events:{Environment.NewLine}{Describe()}");
                }

                Monitor.Wait(_gate, left);
            }
        }

        var settleDeadline = DateTime.UtcNow + (settle ?? TimeSpan.FromMilliseconds(100));
        lock (_gate)
        {
            while (DateTime.UtcNow < settleDeadline && CountUnlocked(match) == expected)
            {
                Monitor.Wait(_gate, Max(settleDeadline - DateTime.UtcNow, TimeSpan.Zero));
            }

            var actual = CountUnlocked(match);
            if (actual != expected)
            {
                Assert.Fail($"Expected exactly {expected} {typeof(T).Name} events, got {actual}. Recorded events:{Environment.NewLine}{Describe()}");
            }

            return [.. _events.OfType<T>().Where(e => match is null || match(e))];
        }
    }

    /// <summary>Asserts that no matching event arrives (or was recorded and not taken) within <paramref name="duration"/> (default 100 ms).</summary>
    public void ExpectNone<T>(Func<T, bool>? match = null, TimeSpan? duration = null)
    {
        var deadline = DateTime.UtcNow + (duration ?? TimeSpan.FromMilliseconds(100));
        lock (_gate)
        {
            while (true)
            {
                for (var i = 0; i < _events.Count; i++)
                {
                    if (!_taken.Contains(i) && _events[i] is T typed && (match is null || match(typed)))
                    {
                        Assert.Fail($"Expected no {typeof(T).Name} event but got {typed}.");
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Stops recording.</summary>
    public void Dispose() => _subscription.Dispose();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // No deadline for Timeout.InfiniteTimeSpan: now + (-1 ms) would be a deadline already past, failing at once.
    private static DateTime? DeadlineAfter(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan ? null : DateTime.UtcNow + timeout;

    private static TimeSpan TimeLeft(DateTime? deadline) => deadline is { } d ? d - DateTime.UtcNow : Timeout.InfiniteTimeSpan;

    private int CountUnlocked<T>(Func<T, bool>? match) => _events.OfType<T>().Count(e => match is null || match(e));

    private string Describe() => string.Join(Environment.NewLine, _events.TakeLast(50).Select(e => "  " + e));

    private async Task PumpAsync()
    {
        await foreach (var e in _subscription.ReadAllAsync().ConfigureAwait(false))
        {
            lock (_gate)
            {
                _events.Add(e);
                Monitor.PulseAll(_gate);
            }
        }
    }
}
