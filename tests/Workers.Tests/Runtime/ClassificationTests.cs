using ActorHost.Workers.Events;
using ActorHost.Workers.Options;
using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Runtime;

public class ClassificationTests
{
    private static Task<Harness> StartAsync() => Harness.StartAsync([Harness.Pool("p")]);

    [Fact]
    public async Task Returning_handler_ends_the_response_cleanly_with_outcome_ok()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p");

        Assert.Equal(RequestOutcome.Ok, await x.OutcomeAsync());
        Assert.Equal(200, x.Sink.Status);
        Assert.True(x.Sink.Completed);
        Assert.Equal(1, x.Reply.Count);
        Assert.Equal(new HandlerIdentity("/user/routes/p/worker-1", 1), x.Envelope.Handler);
    }

    [Fact]
    public async Task A_4xx_the_handler_set_is_client_error_and_not_a_failure()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "status", query: new Dictionary<string, string> { ["status"] = "404" });
        Exchange next = await h.SendAsync("p");

        Assert.Equal(RequestOutcome.ClientError, await x.OutcomeAsync());
        Assert.Equal(404, x.Sink.Status);
        Assert.True(x.Sink.Completed);
        Assert.Equal(2, next.Reply.Count);
        Assert.DoesNotContain(h.Events, e => e is WorkerFailed);
    }

    [Fact]
    public async Task ClientInputException_before_start_leaves_the_answer_to_the_host_and_keeps_the_worker()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "client-error");
        Exchange next = await h.SendAsync("p");

        // The host (the gateway) writes the 4xx problem from the outcome, as it does for every answer of its own.
        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.ClientError, result.Outcome);
        Assert.Equal(422, Assert.IsType<ClientInputException>(result.Error).StatusCode);
        Assert.Equal(ResponseState.NotStarted, x.Envelope.Response.State);
        Assert.Equal(2, next.Reply.Count);
        Assert.Equal(1, next.Reply.Incarnation);
    }

    [Fact]
    public async Task ClientInputException_after_start_cuts_the_response_off_and_is_still_client_error()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "write-client-error");

        Assert.Equal(RequestOutcome.ClientError, await x.OutcomeAsync());
        Assert.True(x.Sink.Aborted);
        Assert.False(x.Sink.Completed);
    }

    [Fact]
    public async Task Throw_before_start_is_handler_failed_with_the_exception_and_the_supervisor_decides()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "throw");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.HandlerFailed, result.Outcome);
        Assert.IsType<InvalidOperationException>(result.Error);
        Assert.Null(x.Sink.Status);
        WorkerFailed failed = await h.Expect<WorkerFailed>();
        Assert.Same(result.Error, failed.Exception);
        Assert.Equal(SupervisionDirective.Restart, failed.Directive);
        Assert.Equal(1, failed.Incarnation);
        Assert.Equal("/user/routes/p/worker-1", failed.Path);
    }

    [Fact]
    public async Task Throw_after_start_is_failed_after_start_and_the_worker_never_ends_the_response()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "write-throw");

        Assert.Equal(RequestOutcome.FailedAfterStart, await x.OutcomeAsync());
        Assert.Equal(200, x.Sink.Status);
        Assert.Equal("partial", x.Sink.BodyText);
        Assert.False(x.Sink.Completed);
        await h.Expect<WorkerFailed>();
    }

    [Theory]
    [InlineData(RequestOutcome.ClientAborted)]
    [InlineData(RequestOutcome.Timeout)]
    [InlineData(RequestOutcome.ShutdownAborted)]
    public async Task Cancellation_of_the_request_token_maps_to_its_cause_and_is_not_a_failure(RequestOutcome cause)
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        x.Envelope.Cancel(cause);

        RequestResult result = await x.ResultAsync();
        Assert.Equal(cause, result.Outcome);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error);
        await x.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("p");
        Assert.Equal(2, next.Reply.Count);
        Assert.DoesNotContain(h.Events, e => e is WorkerFailed);
    }

    [Fact]
    public async Task A_write_failing_with_a_peer_reset_cancels_the_handler_with_peer_closed_and_is_not_a_failure()
    {
        // Queued, not run on the sending thread: the in-memory sink completes every write at once, so a handler that
        // writes forever never yields, and run inline it would hold this test's thread before it could cut the peer.
        await using Harness h = await Harness.StartAsync([Harness.Pool("p")], inlineDispatch: false);
        var reset = new TaskCompletionSource();
        Exchange x = h.Send("p", "write-forever", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        x.Sink.WriteFailure = new IOException("connection reset by peer");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.PeerClosed, result.Outcome);
        Assert.Equal(RequestOutcome.PeerClosed, x.Envelope.CancellationCause);
        Assert.True(x.Envelope.HandlerToken.IsCancellationRequested);
        await x.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Exchange next = await h.SendAsync("p");
        Assert.Equal(1, next.Reply.Incarnation);
        Assert.DoesNotContain(h.Events, e => e is WorkerFailed);
    }

    [Fact]
    public async Task A_non_cancellation_exception_after_the_client_left_is_a_handler_failure_not_499()
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("p", "wait-then-throw", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        // Detached mode: the client left, the handler's token does not fire; the handler then throws.
        x.Envelope.ClientLeft = true;
        h.Gates.Open("g");

        Assert.Equal(RequestOutcome.HandlerFailed, await x.OutcomeAsync());
        Assert.Equal(SupervisionDirective.Restart, (await h.Expect<WorkerFailed>()).Directive);
    }

    [Fact]
    public async Task OperationCanceledException_from_the_handlers_own_token_is_a_failure()
    {
        await using Harness h = await StartAsync();

        Exchange x = await h.SendAsync("p", "own-timeout");

        RequestResult result = await x.ResultAsync();
        Assert.Equal(RequestOutcome.HandlerFailed, result.Outcome);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error);
        await h.Expect<WorkerFailed>();
    }

    [Fact]
    public async Task A_request_completed_while_queued_is_skipped_and_its_handler_never_runs()
    {
        await using Harness h = await StartAsync();
        Exchange blocker = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);
        Exchange queued = h.Send("p");

        queued.Envelope.TryComplete(new RequestResult(RequestOutcome.Timeout));
        h.Gates.Open("g");

        await blocker.ResultAsync();
        await queued.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.Timeout, await queued.OutcomeAsync());
        Assert.Null(queued.Envelope.Handler);
        Assert.Null(queued.Sink.Status);
        Assert.Equal(0, h.Journal.Count($"handling {queued.Envelope.Request.RequestId} "));
    }

    [Fact]
    public async Task A_response_the_gateway_sealed_is_not_written_by_a_handler_that_returns()
    {
        await using Harness h = await StartAsync();
        Exchange x = h.Send("p", "wait", query: new Dictionary<string, string> { ["gate"] = "g" });
        await h.Gates.WhenOpen("entered:g").WaitAsync(Harness.Guard);

        Assert.True(x.Envelope.Response.TrySeal());
        Assert.True(x.Envelope.TryComplete(new RequestResult(RequestOutcome.Timeout)));
        h.Gates.Open("g");

        await x.Envelope.HandlerExited.WaitAsync(Harness.Guard);
        Assert.Equal(RequestOutcome.Timeout, await x.OutcomeAsync());
        Assert.Null(x.Sink.Status);
    }
}
