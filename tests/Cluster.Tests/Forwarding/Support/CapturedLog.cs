using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>One captured log line.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);

/// <summary>A logger provider (and factory) that keeps every line for assertions.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<CapturedLine> _lines = [];
    private readonly List<(int EventId, TaskCompletionSource<CapturedLine> Seen)> _waiters = [];

    public CapturedLog() => Factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILoggerFactory Factory { get; }

    public IReadOnlyList<CapturedLine> Lines
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

    /// <summary>Completes with the first line of <paramref name="eventId"/>, logged before or after the call.</summary>
    public Task<CapturedLine> WhenLogged(int eventId)
    {
        lock (_gate)
        {
            if (_lines.Find(l => l.EventId.Id == eventId) is { } line)
            {
                return Task.FromResult(line);
            }

            var seen = new TaskCompletionSource<CapturedLine>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventId, seen));
            return seen.Task;
        }
    }

    public void Dispose()
    {
    }

    private void Add(CapturedLine line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            _waiters.RemoveAll(w => w.EventId == line.EventId.Id && w.Seen.TrySetResult(line));
        }
    }

    private sealed class Logger(CapturedLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            IReadOnlyList<KeyValuePair<string, object?>> values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Add(new CapturedLine(category, logLevel, eventId, formatter(state, exception), [.. values]));
        }
    }
}
