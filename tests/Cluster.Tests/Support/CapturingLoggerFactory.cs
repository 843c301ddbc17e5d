using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>A logger factory that keeps every line (category, level, event id, message) for assertions.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<LogLine> _lines = [];
    private readonly List<(Func<LogLine, bool> Match, TaskCompletionSource<LogLine> Done)> _waiters = [];

    public IReadOnlyList<LogLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>
    /// The first line (already logged after the first <paramref name="after"/>, or future) matching <paramref name="match"/>:
    /// for waiting on what a node logs without changing its shard table (which <c>TestCluster.WaitUntilAsync</c> wakes on).
    /// </summary>
    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match, TimeSpan guard, int after = 0)
    {
        var done = new TaskCompletionSource<LogLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Skip(after).FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(guard);
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(LogLine line)
    {
        List<TaskCompletionSource<LogLine>> done = [];
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(line))
                {
                    _waiters.Remove(waiter);
                    done.Add(waiter.Done);
                }
            }
        }

        done.ForEach(d => d.TrySetResult(line));
    }

    public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogLine(category, logLevel, eventId, formatter(state, exception)));
    }
}
