using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>
/// <c>actorhost.logging.stack-traces</c>: by default every failed request's line carries the full exception; with
/// <c>first-per-window</c> a repeat carries its type and message and names the request whose line has the trace.
/// Either way each request still has exactly one line, with its real outcome, status and error type.
/// </summary>
public sealed class RepeatedFailureLogTests
{
    [Fact]
    public async Task By_default_every_failed_request_logs_its_own_exception()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        IReadOnlyList<CapturedLog> lines = await FailTwiceAsync(gateway);

        Assert.All(lines, line => Assert.IsType<InvalidOperationException>(line.Exception));
    }

    [Fact]
    public async Task First_per_window_logs_the_stack_trace_once_and_then_names_the_request_that_has_it()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("actorhost.logging.stack-traces = first-per-window");

        IReadOnlyList<CapturedLog> lines = await FailTwiceAsync(gateway);

        InvalidOperationException first = Assert.IsType<InvalidOperationException>(lines[0].Exception);
        RepeatedFailureException repeat = Assert.IsType<RepeatedFailureException>(lines[1].Exception);
        Assert.Contains("CounterWorker", first.StackTrace, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(repeat.Failure);
        Assert.Contains($"line of request {repeat.FirstRequestId} at ", repeat.Message, StringComparison.Ordinal);
        Assert.StartsWith($"System.InvalidOperationException: {repeat.Failure.Message} (repeat 1 ", repeat.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(first.Message, repeat.Failure.Message); // the sample names the incarnation: each line shows its own message
        Assert.All(lines, line =>
        {
            Assert.Equal(LogLevel.Error, line.Level);
            Assert.Equal("handler_failed", line.Text("Outcome"));
            Assert.Equal("500", line.Text("Status"));
            Assert.Equal("System.InvalidOperationException", line.Text("ErrorType"));
        });
    }

    private static async Task<IReadOnlyList<CapturedLog>> FailTwiceAsync(RealGateway gateway)
    {
        Http.Answer firstAnswer = await gateway.Client.PostAsync("/counter/r1/fail");
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 1);
        Http.Answer secondAnswer = await gateway.Client.PostAsync("/counter/r1/fail");
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 2);

        Assert.Equal((500, 500), (firstAnswer.Status, secondAnswer.Status));
        return gateway.Logs.RequestFinished;
    }
}
