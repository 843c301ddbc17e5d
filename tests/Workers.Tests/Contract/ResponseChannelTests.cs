using ActorHost.Workers.Tests.Support;

namespace ActorHost.Workers.Tests.Contract;

public class ResponseChannelTests
{
    private static RequestEnvelope Envelope(MemorySink sink) =>
        new(new WorkerRequest { RequestId = "r1", Route = "test", Method = "GET", Path = "/" }, sink);

    [Fact]
    public async Task First_write_sends_status_and_headers_then_body()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        envelope.Response.StatusCode = 201;
        envelope.Response.SetHeader("X-Test", "1");

        await envelope.Response.WriteAsync("hello"u8.ToArray());

        Assert.Equal(201, sink.Status);
        Assert.Equal("1", sink.Header("X-Test"));
        Assert.Equal("hello", sink.BodyText);
        Assert.Equal(ResponseState.Started, envelope.Response.State);
        Assert.Equal(201, envelope.Response.StatusSent);
        Assert.Equal(5, envelope.Response.BytesWritten);
    }

    [Fact]
    public async Task Status_and_headers_cannot_change_after_the_response_started()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        await envelope.Response.WriteAsync("x"u8.ToArray());

        Assert.Throws<InvalidOperationException>(() => envelope.Response.StatusCode = 500);
        Assert.Throws<InvalidOperationException>(() => envelope.Response.SetHeader("X", "y"));
    }

    [Fact]
    public async Task Complete_without_a_write_sends_the_headers_and_ends_cleanly()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        envelope.Response.StatusCode = 204;

        Assert.True(await envelope.Response.CompleteAsync());

        Assert.Equal(204, sink.Status);
        Assert.True(sink.Completed);
        Assert.Equal(ResponseState.Completed, envelope.Response.State);
    }

    [Fact]
    public async Task A_sealed_response_refuses_handler_writes_without_touching_the_sink()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);

        Assert.True(envelope.Response.TrySeal());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => envelope.Response.WriteAsync("x"u8.ToArray()).AsTask());

        Assert.Null(sink.Status);
        Assert.Empty(sink.Body);
    }

    [Fact]
    public async Task Complete_after_seal_returns_false_and_sends_nothing()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        Assert.True(envelope.Response.TrySeal());

        Assert.False(await envelope.Response.CompleteAsync());

        Assert.Null(sink.Status);
        Assert.False(sink.Completed);
    }

    [Fact]
    public async Task Seal_after_the_response_started_fails_so_the_gateway_must_abort()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        await envelope.Response.WriteAsync("x"u8.ToArray());

        Assert.False(envelope.Response.TrySeal());
        Assert.True(envelope.Response.Abort());
        Assert.True(sink.Aborted);
        Assert.Equal(ResponseState.Aborted, envelope.Response.State);
    }

    [Fact]
    public async Task Abort_after_a_clean_end_cuts_nothing()
    {
        var sink = new MemorySink();
        using RequestEnvelope envelope = Envelope(sink);
        await envelope.Response.CompleteAsync();

        Assert.False(envelope.Response.Abort());
        Assert.False(sink.Aborted);
    }

    [Fact]
    public async Task Seal_and_first_write_racing_leave_exactly_one_winner()
    {
        for (int i = 0; i < 500; i++)
        {
            var sink = new MemorySink();
            using RequestEnvelope envelope = Envelope(sink);
            using var barrier = new Barrier(2);

            Task<bool> seal = Task.Run(() =>
            {
                barrier.SignalAndWait();
                return envelope.Response.TrySeal();
            });
            Task<bool> write = Task.Run(async () =>
            {
                barrier.SignalAndWait();
                try
                {
                    await envelope.Response.WriteAsync("x"u8.ToArray());
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            });

            bool sealedIt = await seal;
            bool wrote = await write;

            Assert.NotEqual(sealedIt, wrote);
            Assert.Equal(wrote, sink.Status is not null);
        }
    }

    [Fact]
    public async Task Peer_reset_on_write_cancels_the_handler_with_cause_peer_closed()
    {
        var sink = new MemorySink { WriteFailure = new IOException("connection reset") };
        using RequestEnvelope envelope = Envelope(sink);

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => envelope.Response.WriteAsync("x"u8.ToArray(), envelope.HandlerToken).AsTask());

        Assert.True(envelope.HandlerToken.IsCancellationRequested);
        Assert.Equal(RequestOutcome.PeerClosed, envelope.CancellationCause);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Same(error.InnerException, envelope.Response.PeerClosedBy);
        Assert.Equal(0, envelope.Response.BytesWritten);
    }

    [Fact]
    public async Task After_a_peer_reset_no_further_write_reaches_the_sink()
    {
        var sink = new MemorySink { WriteFailure = new IOException("connection reset") };
        using RequestEnvelope envelope = Envelope(sink);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => envelope.Response.WriteAsync("x"u8.ToArray()).AsTask());
        sink.WriteFailure = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => envelope.Response.WriteAsync("y"u8.ToArray()).AsTask());
        Assert.False(await envelope.Response.CompleteAsync());

        Assert.Empty(sink.Body);
        Assert.False(sink.Completed);
    }
}
