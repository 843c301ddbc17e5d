using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>One captured log record with its structured fields.</summary>
public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    Exception? Exception,
    IReadOnlyDictionary<string, object?> Fields)
{
    public object? this[string field] => Fields.TryGetValue(field, out object? value) ? value : null;

    public string? Text(string field) => this[field]?.ToString();
}

/// <summary>A logger provider that keeps every record (all levels) and lets tests wait for one.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _records = new();
    private readonly List<(Func<CapturedLog, bool> Match, TaskCompletionSource<CapturedLog> Found)> _waiters = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<CapturedLog> Records => _records.ToArray();

    public IReadOnlyList<CapturedLog> RequestFinished => Records.Where(r => r.Category == "ActorHost.Requests" && r.EventId.Id == 1).ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>Waits until a record matching <paramref name="match"/> is logged (the timeout is only a failure guard).</summary>
    public Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match, TimeSpan? timeout = null)
    {
        var found = new TaskCompletionSource<CapturedLog>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            CapturedLog? existing = _records.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            _waiters.Add((match, found));
        }

        return found.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
    }

    /// <summary>Waits for the request-finished line of the request to <paramref name="path"/>.</summary>
    public Task<CapturedLog> WaitForFinishedAsync(string path, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Category == "ActorHost.Requests" && r.EventId.Id == 1 && r.Text("Path") == path, timeout);

    private void Add(CapturedLog record)
    {
        lock (_gate)
        {
            _records.Enqueue(record);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(record))
                {
                    _waiters[i].Found.TrySetResult(record);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach ((string key, object? value) in pairs)
                {
                    fields[key] = value;
                }
            }

            owner.Add(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception, fields));
        }
    }
}
