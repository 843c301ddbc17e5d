using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorHost.Workers.Tests.Support;

/// <summary>
/// Keeps every line logged to it, with its level, event id and structured fields; as a logger factory it hands
/// itself out for every category, so a runtime built with it logs here.
/// </summary>
public sealed class RecordingLogger : ILogger, ILoggerFactory
{
    private readonly List<(int EventId, TaskCompletionSource<IReadOnlyDictionary<string, object?>> Logged)> _waiters = [];
    private readonly Lock _gate = new();

    public ConcurrentQueue<(LogLevel Level, EventId EventId, IReadOnlyDictionary<string, object?> Fields)> Entries { get; } = new();

    /// <summary>Completes with the fields of the first line with this event id, logged already or later.</summary>
    public Task<IReadOnlyDictionary<string, object?>> WhenLogged(int eventId)
    {
        lock (_gate)
        {
            foreach ((_, EventId id, IReadOnlyDictionary<string, object?> fields) in Entries)
            {
                if (id.Id == eventId)
                {
                    return Task.FromResult(fields);
                }
            }

            var logged = new TaskCompletionSource<IReadOnlyDictionary<string, object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventId, logged));
            return logged.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (KeyValuePair<string, object?> pair in pairs)
            {
                fields[pair.Key] = pair.Value;
            }
        }

        lock (_gate)
        {
            Entries.Enqueue((logLevel, eventId, fields));
            foreach ((int waited, TaskCompletionSource<IReadOnlyDictionary<string, object?>> logged) in _waiters)
            {
                if (waited == eventId.Id)
                {
                    logged.TrySetResult(fields);
                }
            }
        }
    }
}
