using System.Text;
using ActorHost.Gateway.Logging;
using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ActorHost.Gateway.Tests.Logging;

public class BatchedConsoleLoggerTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly Action<ILogger, int, Exception?> NumberedLine = LoggerMessage.Define<int>(LogLevel.Information, 0, "line {Number}");

    [Fact]
    public void Lines_reach_stdout_in_order_and_nothing_queued_is_lost_on_dispose()
    {
        var stdout = new MemoryStream();
        using (var provider = Provider(stdout, new MemoryStream()))
        {
            ILogger logger = provider.CreateLogger("Test.Category");
            for (int i = 0; i < 1000; i++)
            {
                NumberedLine(logger, i, null);
            }
        }

        string[] lines = Lines(stdout).Where(l => l.Contains("line ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(1000, lines.Length);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"line {i}"), lines.Select(l => l.Trim()));
        Assert.Contains("info: Test.Category[0]", Lines(stdout));
    }

    [Fact]
    public async Task The_writer_thread_writes_a_batch_without_being_asked()
    {
        var stdout = new SignallingStream();
        using var provider = Provider(stdout, new MemoryStream());

        provider.CreateLogger("Test").LogWarning("nobody flushes this");

        await stdout.Written.WaitAsync(Guard);
        Assert.Contains("nobody flushes this", stdout.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_past_the_limit_is_written_by_the_logging_thread_itself()
    {
        var stdout = new MemoryStream();
        using var writer = new BatchedConsoleWriter(stdout, new MemoryStream());
        var line = new StringBuilder().Append('x', BatchedConsoleWriter.MaxPendingChars).Append('\n');

        // No flush and no wait: the append that fills the batch writes it before returning.
        writer.Append(line, toStandardError: false);

        Assert.Equal(BatchedConsoleWriter.MaxPendingChars + 1, ReadAll(stdout).Length);
    }

    [Fact]
    public void A_line_after_dispose_is_written_at_once_after_what_was_queued()
    {
        var stdout = new MemoryStream();
        var writer = new BatchedConsoleWriter(stdout, new MemoryStream());
        writer.Append(new StringBuilder("first\n"), toStandardError: false);
        writer.Dispose();

        writer.Append(new StringBuilder("late\n"), toStandardError: false);

        Assert.Equal("first\nlate\n", ReadAll(stdout));
    }

    [Fact]
    public async Task Dispose_does_not_wait_forever_for_a_stdout_that_stopped_taking_bytes()
    {
        using var stuck = new HeldStream();
        var writer = new BatchedConsoleWriter(stuck, new MemoryStream());
        writer.Append(new StringBuilder("never taken\n"), toStandardError: false);
        await stuck.WriteEntered.WaitAsync(Guard);

        // The writer thread is inside a write that will not return; the exit path must still get through.
        await Task.Run(writer.Dispose).WaitAsync(Guard);

        stuck.Release();
    }

    [Fact]
    public void Levels_at_the_stderr_threshold_go_to_stderr_and_the_json_formatter_is_used_when_named()
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        using (var provider = Provider(stdout, stderr, console =>
        {
            console.FormatterName = ConsoleFormatterNames.Json;
            console.LogToStandardErrorThreshold = LogLevel.Error;
        }))
        {
            ILogger logger = provider.CreateLogger("Test");
            logger.LogInformation("to stdout");
            logger.LogError(new InvalidOperationException("boom"), "to stderr");
        }

        string output = ReadAll(stdout);
        string errors = ReadAll(stderr);
        Assert.Contains("\"Message\":\"to stdout\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("to stderr", output, StringComparison.Ordinal);
        Assert.Contains("\"Message\":\"to stderr\"", errors, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: boom", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_logged_exception_reads_as_its_ToString_each_time_and_an_own_formatter_gets_the_exception_itself()
    {
        Exception[] failures = [.. Enumerable.Range(1, 3).Select(Thrown)];
        var stdout = new MemoryStream();
        using (var provider = Provider(stdout, new MemoryStream()))
        {
            ILogger logger = provider.CreateLogger("Test");
            foreach (Exception failure in failures)
            {
                logger.LogError(failure, "failed");
            }
        }

        string[] lines = [.. Lines(stdout).Select(l => l.Trim())];
        foreach (Exception failure in failures)
        {
            string[] expected = [.. failure.ToString().Split('\n').Select(l => l.Trim())];
            int at = Array.IndexOf(lines, expected[0]);
            Assert.True(at >= 0, $"\"{expected[0]}\" was not logged");
            Assert.Equal(expected, lines.Skip(at).Take(expected.Length));
        }

        var own = new RecordingFormatter();
        using (var provider = new BatchedConsoleLoggerProvider(
            new StaticOptions(new ConsoleLoggerOptions { FormatterName = RecordingFormatter.FormatterName }), [own], new MemoryStream(), new MemoryStream()))
        {
            provider.CreateLogger("Test").LogError(failures[0], "failed");
        }

        Assert.Same(failures[0], own.Seen);
    }

    [Fact]
    public void The_gateway_logs_through_the_batched_provider_instead_of_the_console_logger()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        var settings = new Configuration.GatewaySettings();
        Hosting.GatewayApplication.ConfigureLogging(builder, settings);
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        ILoggerProvider[] providers = [.. services.GetServices<ILoggerProvider>()];

        Assert.Contains(providers, p => p is BatchedConsoleLoggerProvider);
        Assert.DoesNotContain(providers, p => p is ConsoleLoggerProvider);
    }

    private static BatchedConsoleLoggerProvider Provider(Stream stdout, Stream stderr, Action<ConsoleLoggerOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConsole(console => configure?.Invoke(console)));
        ServiceProvider built = services.BuildServiceProvider();
        return new BatchedConsoleLoggerProvider(
            built.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(),
            built.GetServices<ConsoleFormatter>(),
            stdout,
            stderr);
    }

    private static Exception Thrown(int n)
    {
        try
        {
            throw new InvalidOperationException($"failure {n}");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    private static string ReadAll(MemoryStream stream) => Encoding.UTF8.GetString(stream.ToArray());

    private static string[] Lines(MemoryStream stream) => ReadAll(stream).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A stdout that says when something was first written to it.</summary>
    private sealed class SignallingStream : MemoryStream
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Written => _written.Task;

        public string Text
        {
            get
            {
                lock (this)
                {
                    return Encoding.UTF8.GetString(ToArray());
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (this)
            {
                base.Write(buffer, offset, count);
            }

            _written.TrySetResult();
        }
    }

    private sealed class RecordingFormatter() : ConsoleFormatter(FormatterName)
    {
        public const string FormatterName = "recording";

        public Exception? Seen { get; private set; }

        public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
        {
            Seen = logEntry.Exception;
            textWriter.WriteLine(logEntry.Formatter(logEntry.State, logEntry.Exception));
        }
    }

    private sealed class StaticOptions(ConsoleLoggerOptions value) : IOptionsMonitor<ConsoleLoggerOptions>
    {
        public ConsoleLoggerOptions CurrentValue => value;

        public ConsoleLoggerOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleLoggerOptions, string?> listener) => null;
    }
}
