using Microsoft.Extensions.Logging;

namespace ActorHost.Cluster.Tests.Support;

/// <summary>A logger factory that keeps every line (category, level, event id, message) for assertions.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly Recording<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.Items;

    /// <summary>How many lines were logged so far (pass it as <c>after</c> to <see cref="WaitForAsync"/> to wait only for later ones).</summary>
    public int Mark() => _lines.Mark();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>
    /// The first line (already logged after the first <paramref name="after"/>, or future) matching <paramref name="match"/>:
    /// for waiting on what a node logs without changing its shard table (which <c>TestCluster.WaitUntilAsync</c> wakes on).
    /// </summary>
    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match, TimeSpan guard, int after = 0) => _lines.WaitForAsync(match, guard, after);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Add(new LogLine(category, logLevel, eventId, formatter(state, exception)));
    }
}
