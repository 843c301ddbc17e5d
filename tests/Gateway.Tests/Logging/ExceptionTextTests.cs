using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using ActorHost.Gateway.Logging;

namespace ActorHost.Gateway.Tests.Logging;

/// <summary>
/// <see cref="ExceptionText"/> must write exactly what <see cref="Exception.ToString"/> writes, whatever the
/// exception, whether its stack trace came from the table or not.
/// </summary>
public class ExceptionTextTests
{
    public static TheoryData<string> Kinds =>
    [
        "sync", "async", "async-chain", "rethrown", "empty-message", "generic", "lambda", "overrides-tostring",
        "overrides-stacktrace", "inner", "never-thrown", "remote-stack-trace",
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Renders_what_ToString_renders_the_first_time_and_from_the_table(string kind)
    {
        var text = new ExceptionText();
        Exception first = await MakeAsync(kind, 1);
        Exception second = await MakeAsync(kind, 2);

        Assert.Equal(first.ToString(), text.Render(first));
        Assert.Equal(second.ToString(), text.Render(second));
        Assert.Equal(first.ToString(), text.Render(first));
    }

    [Fact]
    public async Task The_same_failure_with_another_message_reuses_the_stack_trace_and_keeps_its_own_message()
    {
        var text = new ExceptionText();
        Exception first = await MakeAsync("async", 1);
        Exception second = await MakeAsync("async", 2);

        string one = text.Render(first);
        long hitsBefore = text.Hits;
        string two = text.Render(second);

        Assert.Equal(hitsBefore + 1, text.Hits);
        Assert.Equal(second.ToString(), two);
        Assert.Contains("failure 2", two, StringComparison.Ordinal);
        Assert.Contains("failure 1", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_its_bound_the_table_takes_no_more_traces_and_the_text_stays_right()
    {
        var text = new ExceptionText(maxTraces: 1);
        Exception sync = await MakeAsync("sync", 1);
        Exception async = await MakeAsync("async", 1);
        text.Render(sync);

        Assert.Equal(async.ToString(), text.Render(async));
        Assert.Equal(async.ToString(), text.Render(async));
        Assert.Equal(0, text.Hits);
        Assert.Equal(sync.ToString(), text.Render(sync));
        Assert.Equal(1, text.Hits);
    }

    private static async Task<Exception> MakeAsync(string kind, int n)
    {
        try
        {
            switch (kind)
            {
                case "sync":
                    ThrowSync(n);
                    break;
                case "async":
                    await ThrowAfterYieldAsync(n);
                    break;
                case "async-chain":
                    await OuterAsync(n);
                    break;
                case "rethrown":
                    Rethrow(n);
                    break;
                case "empty-message":
                    throw new InvalidOperationException(string.Empty);
                case "generic":
                    ThrowGeneric<int>(n);
                    break;
                case "lambda":
                    Action act = () => throw new ArgumentException($"failure {n}");
                    act();
                    break;
                case "overrides-tostring":
                    throw new CustomTextException($"failure {n}");
                case "overrides-stacktrace":
                    throw new CustomTraceException($"failure {n}");
                case "inner":
                    try
                    {
                        ThrowSync(n);
                    }
                    catch (Exception e)
                    {
                        throw new InvalidOperationException($"outer {n}", e);
                    }

                    break;
                case "never-thrown":
                    return new InvalidOperationException($"failure {n}");
                case "remote-stack-trace":
                    return ExceptionDispatchInfo.SetRemoteStackTrace(new InvalidOperationException($"failure {n}"), "   at Somewhere.Else()\n");
            }
        }
        catch (Exception e)
        {
            return e;
        }

        throw new InvalidOperationException($"{kind} did not throw");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSync(int n) => throw new InvalidOperationException($"failure {n}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowGeneric<T>(int n) => throw new InvalidOperationException($"failure {n} of {typeof(T).Name}");

    private static async Task ThrowAfterYieldAsync(int n)
    {
        await Task.Yield();
        throw new InvalidOperationException($"failure {n}");
    }

    private static async Task OuterAsync(int n) => await MiddleAsync(n);

    private static async Task MiddleAsync(int n) => await ThrowAfterYieldAsync(n);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Rethrow(int n)
    {
        ExceptionDispatchInfo captured;
        try
        {
            ThrowSync(n);
            return;
        }
        catch (Exception e)
        {
            captured = ExceptionDispatchInfo.Capture(e);
        }

        captured.Throw();
    }

    private sealed class CustomTextException(string message) : Exception(message)
    {
        public override string ToString() => "custom: " + Message;
    }

    private sealed class CustomTraceException(string message) : Exception(message)
    {
        public override string StackTrace => "   at Custom.Trace()";
    }
}
