using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Contract;

public class RequestEnvelopeTests
{
    private static RequestEnvelope Envelope() =>
        new(new WorkerRequest { RequestId = "r1", Route = "test", Method = "GET", Path = "/" }, new MemorySink());

    [Fact]
    public async Task Only_the_first_completion_counts()
    {
        using RequestEnvelope envelope = Envelope();

        Assert.True(envelope.TryComplete(new RequestResult(RequestOutcome.Timeout)));
        Assert.False(envelope.TryComplete(RequestResult.Ok));

        Assert.Equal(RequestOutcome.Timeout, (await envelope.Completion).Outcome);
    }

    [Fact]
    public void The_first_cancellation_cause_wins()
    {
        using RequestEnvelope envelope = Envelope();

        envelope.Cancel(RequestOutcome.Timeout);
        envelope.Cancel(RequestOutcome.ClientAborted);

        Assert.Equal(RequestOutcome.Timeout, envelope.CancellationCause);
    }

    [Fact]
    public void The_cause_is_visible_from_inside_the_token_callback()
    {
        using RequestEnvelope envelope = Envelope();
        RequestOutcome? seen = null;
        using CancellationTokenRegistration registration = envelope.HandlerToken.Register(() => seen = envelope.CancellationCause);

        envelope.Cancel(RequestOutcome.ShutdownAborted);

        Assert.Equal(RequestOutcome.ShutdownAborted, seen);
    }

    [Fact]
    public void Cancel_after_dispose_is_harmless()
    {
        RequestEnvelope envelope = Envelope();
        envelope.Dispose();

        envelope.Cancel(RequestOutcome.ClientAborted);

        Assert.Equal(RequestOutcome.ClientAborted, envelope.CancellationCause);
    }

    [Fact]
    public async Task Handler_exited_completes_once_marked()
    {
        using RequestEnvelope envelope = Envelope();
        Assert.False(envelope.HandlerExited.IsCompleted);

        envelope.MarkHandlerExited();
        envelope.MarkHandlerExited();

        await envelope.HandlerExited;
    }

    [Fact]
    public async Task Handler_exited_asked_after_the_mark_is_already_complete()
    {
        using RequestEnvelope envelope = Envelope();

        envelope.MarkHandlerExited();

        Assert.True(envelope.HandlerExited.IsCompletedSuccessfully);
        await envelope.HandlerExited;
    }

    [Fact]
    public async Task Handler_exited_completes_whichever_of_the_wait_and_the_mark_comes_first()
    {
        // The mark (worker) and the first wait (gateway) race on different threads; a lost mark would hang here.
        await RaceAsync(envelope => envelope.MarkHandlerExited(), envelope => envelope.HandlerExited);
    }

    [Fact]
    public async Task A_result_decided_before_anyone_waits_is_read_without_a_task_and_still_awaitable()
    {
        using RequestEnvelope envelope = Envelope();
        Assert.False(envelope.TryGetResult(out _));
        Assert.False(envelope.IsCompleted);

        var result = new RequestResult(RequestOutcome.HandlerFailed, new InvalidOperationException("boom"));
        Assert.True(envelope.TryComplete(result));

        Assert.True(envelope.IsCompleted);
        Assert.True(envelope.TryGetResult(out RequestResult? decided));
        Assert.Same(result, decided);
        Assert.Same(result, await envelope.Completion);
        Assert.Same(envelope.Completion, envelope.Completion);
    }

    [Fact]
    public async Task A_wait_that_began_before_the_result_completes_with_it()
    {
        using RequestEnvelope envelope = Envelope();
        Task<RequestResult> completion = envelope.Completion;
        Assert.False(completion.IsCompleted);

        envelope.TryComplete(RequestResult.Ok);

        Assert.Same(RequestResult.Ok, await completion.WaitAsync(Harness.Guard));
        Assert.Same(completion, envelope.Completion);
    }

    [Fact]
    public async Task The_completion_task_completes_whichever_of_the_wait_and_the_result_comes_first()
    {
        // The result (worker) and the first wait (gateway) race on different threads; a lost result would hang here.
        await RaceAsync(envelope => envelope.TryComplete(RequestResult.Ok), envelope => envelope.Completion);
    }

    /// <summary>Runs a signal and the first wait for it on two threads released at once, 500 times; the wait must end.</summary>
    private static async Task RaceAsync(Action<RequestEnvelope> signal, Func<RequestEnvelope, Task> firstWait)
    {
        for (int i = 0; i < 500; i++)
        {
            using RequestEnvelope envelope = Envelope();
            using var start = new Barrier(2);
            Task signalled = Task.Run(() =>
            {
                start.SignalAndWait();
                signal(envelope);
            });
            // Task.Run unwraps: this completes when the awaited task does.
            Task wait = Task.Run(() =>
            {
                start.SignalAndWait();
                return firstWait(envelope);
            });

            await signalled.WaitAsync(Harness.Guard);
            await wait.WaitAsync(Harness.Guard);
        }
    }
}
