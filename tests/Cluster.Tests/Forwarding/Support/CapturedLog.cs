using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Forwarding.Support;

/// <summary>One captured log line.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);

/// <summary>A logger provider (and factory) that keeps every line for assertions.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<CapturedLine> _lines = [];

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

    public void Dispose()
    {
    }

    private void Add(CapturedLine line)
    {
        lock (_gate)
        {
            _lines.Add(line);
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
