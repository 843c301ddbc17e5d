using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ActorHost.Gateway.Logging;

/// <summary>
/// The gateway's console log: ASP.NET's console formatters (<c>simple</c>, <c>json</c>, and their
/// <c>Logging:Console:FormatterOptions</c>) in front of a <see cref="BatchedConsoleWriter"/> instead of the
/// console logger's line-at-a-time thread. Registered under the alias <c>Console</c>, so
/// <c>Logging:Console:LogLevel</c> filters and <c>Logging:Console:FormatterName</c> work as before.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic]
    private static StringWriter? t_text;

    private readonly Dictionary<string, ConsoleFormatter> _formatters;
    private readonly IDisposable? _optionsChanged;
    private readonly BatchedConsoleWriter _writer;
    private ConsoleFormatter _formatter;
    private LogLevel _stderrThreshold;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.OpenStandardOutput(), Console.OpenStandardError())
    {
    }

    internal BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        _formatters = formatters.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _writer = new BatchedConsoleWriter(stdout, stderr);
        (_formatter, _stderrThreshold) = Select(options.CurrentValue);
        _optionsChanged = options.OnChange(changed => (_formatter, _stderrThreshold) = Select(changed));

        // Environment.Exit from code that cannot reach the gateway's own exit (which disposes the providers) — a fault
        // rule's exit-code, a worker's own call — would otherwise end the process with the last batch unwritten, and
        // with it the line saying why. Disposing the writer is bounded, so a stdout nobody reads cannot hold the exit.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>Writes every queued line and stops the writer; the escalation exit disposes the providers for this.</summary>
    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _optionsChanged?.Dispose();
        _writer.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => _writer.Dispose();

    private (ConsoleFormatter Formatter, LogLevel StderrThreshold) Select(ConsoleLoggerOptions options) =>
        (_formatters.GetValueOrDefault(options.FormatterName ?? ConsoleFormatterNames.Simple)
            ?? _formatters.GetValueOrDefault(ConsoleFormatterNames.Simple)
            ?? throw new InvalidOperationException("No console formatter is registered."),
         options.LogToStandardErrorThreshold);

    /// <summary>
    /// The exception as the formatter will see it: for ASP.NET's own formatters, which only write its
    /// <see cref="Exception.ToString"/>, one that returns the same text rendered through <see cref="ExceptionText"/>
    /// (a repeated stack trace costs a lookup instead of reflection over every frame). A formatter of the
    /// application's own gets the exception itself.
    /// </summary>
    private Exception? AsShown(Exception? exception) =>
        exception is null || _formatter.GetType().Assembly != typeof(ConsoleFormatter).Assembly
            ? exception
            : new RenderedException(exception, ExceptionText.Shared.Render(exception));

    private void Write<TState>(in LogEntry<TState> entry)
    {
        // One reusable writer per thread: formatting a line allocates nothing of its own.
        StringWriter text = t_text ??= new StringWriter();
        StringBuilder builder = text.GetStringBuilder();
        builder.Clear();
        _formatter.Write(in entry, _scopes, text);
        if (builder.Length == 0)
        {
            return;
        }

        _writer.Append(builder, entry.LogLevel >= _stderrThreshold);
        if (builder.Capacity > 64 * 1024)
        {
            // A huge line (a deep stack trace) should not pin its buffer on this thread.
            t_text = null;
        }
    }

    private sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        // Levels are filtered by the logger factory's rules before a line reaches here.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, provider.AsShown(exception), formatter));
        }
    }

    /// <summary>An exception's text, rendered already; what ASP.NET's console formatters write of an exception.</summary>
    private sealed class RenderedException(Exception original, string text) : Exception(original.Message)
    {
        public override string ToString() => text;
    }
}
