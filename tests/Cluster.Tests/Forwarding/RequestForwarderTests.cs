using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ActorHost.Actors.TestKit;
using ActorHost.Cluster.Coordination;
using ActorHost.Cluster.Forwarding;
using ActorHost.Cluster.Tests.Forwarding.Support;
using ActorHost.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorHost.Cluster.Tests.Forwarding;

/// <summary>The sending side of forwarding against a real Kestrel HTTP/2 (h2c) server playing the owner.</summary>
public sealed class RequestForwarderTests : IAsyncDisposable
{
    private readonly CapturedLog _log = new();
    private readonly RequestForwarder _forwarder;
    private OwnerServer? _owner;

    public RequestForwarderTests() => _forwarder = new RequestForwarder(Forward.Options(), "sender-1", _log.Factory, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        _forwarder.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }

        _log.Factory.Dispose();
    }

    private async Task<OwnerServer> OwnerAsync(Func<HttpContext, Task> handler) => _owner = await OwnerServer.StartAsync(handler);

    private static async Task<ForwardAttempt> SendAsync(RequestForwarder forwarder, RequestEnvelope envelope, Uri owner, byte[]? body = null) =>
        await forwarder.SendAsync(envelope, body ?? [], Forward.RemoteRoute(owner), envelope.HandlerToken).WaitAsync(Forward.Guard);

    private static void Verdict(HttpContext context, int status, string outcome, string? errorType = null, string? errorMessage = null)
    {
        context.Response.StatusCode = status;
        context.Response.Headers[ForwardHeaders.Outcome] = outcome;
        context.Response.Headers[ForwardHeaders.Node] = "owner-1";
        context.Response.Headers[ForwardHeaders.Worker] = "/user/routes/counter/7";
        context.Response.Headers[ForwardHeaders.Incarnation] = "3";
        if (errorType is not null)
        {
            context.Response.Headers[ForwardHeaders.ErrorType] = errorType;
        }

        if (errorMessage is not null)
        {
            context.Response.Headers[ForwardHeaders.ErrorMessage] = Uri.EscapeDataString(errorMessage);
        }
    }

    private static void OutcomeTrailers(HttpContext context, string outcome, string? errorType = null, string? errorMessage = null)
    {
        context.Response.AppendTrailer(ForwardHeaders.Outcome, outcome);
        context.Response.AppendTrailer(ForwardHeaders.Node, "owner-1");
        context.Response.AppendTrailer(ForwardHeaders.Worker, "/user/routes/counter/7");
        context.Response.AppendTrailer(ForwardHeaders.Incarnation, "2");
        if (errorType is not null)
        {
            context.Response.AppendTrailer(ForwardHeaders.ErrorType, errorType);
            context.Response.AppendTrailer(ForwardHeaders.ErrorMessage, Uri.EscapeDataString(errorMessage ?? ""));
        }
    }

    [Fact]
    public async Task A_handler_failed_verdict_fails_the_request_with_the_owners_exception_and_leaves_the_response_untouched()
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            Verdict(context, 500, "handler_failed", "System.InvalidOperationException", "worker failure: ü & 100% done");
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.HandlerFailed, result.Outcome);
        RemoteHandlerException error = Assert.IsType<RemoteHandlerException>(result.Error);
        Assert.Equal("System.InvalidOperationException", error.ExceptionType);
        Assert.Equal("owner-1", error.Node);
        Assert.Contains("worker failure: ü & 100% done", error.Message, StringComparison.Ordinal);
        Assert.Equal(new HandlerIdentity("actorhost://owner-1/user/routes/counter/7", 3), envelope.Handler);
        Assert.Equal(ResponseState.NotStarted, envelope.Response.State);
        Assert.Empty(sink.Steps);
    }

    [Fact]
    public async Task A_client_error_verdict_becomes_a_client_input_exception_with_the_owners_status()
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            Verdict(context, 404, "client_error", "ActorHost.Workers.ClientInputException", "no such counter");
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.ClientError, result.Outcome);
        ClientInputException error = Assert.IsType<ClientInputException>(result.Error);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("no such counter", error.Message);
        Assert.Empty(sink.Steps);
    }

    [Theory]
    [InlineData("timeout", RequestOutcome.Timeout)]
    [InlineData("worker_stopped", RequestOutcome.WorkerStopped)]
    [InlineData("overloaded", RequestOutcome.Overloaded)]
    [InlineData("client_aborted", RequestOutcome.ClientAborted)]
    [InlineData("not-a-word", RequestOutcome.HandlerFailed)]
    public async Task Other_verdicts_are_relayed_as_the_owners_outcome(string word, RequestOutcome expected)
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            Verdict(context, 503, word);
            return Task.CompletedTask;
        });
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink());

        await SendAsync(_forwarder, envelope, owner.Address);

        Assert.Equal(expected, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal(ResponseState.NotStarted, envelope.Response.State);
    }

    [Fact]
    public async Task A_started_response_is_relayed_byte_for_byte_with_status_and_headers_and_completes_ok_from_the_trailers()
    {
        byte[] payload = new byte[100_000];
        new Random(42).NextBytes(payload);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers.Append("Set-Cookie", "a=1; Path=/");
            context.Response.Headers.Append("Set-Cookie", "b=2; Path=/");
            context.Response.Headers["X-Owner-Says"] = "hello";
            context.Response.Headers["Cache-Control"] = "no-store";
            await context.Response.Body.WriteAsync(payload.AsMemory(0, 30_000));
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(payload.AsMemory(30_000));
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.Ok, result.Outcome);
        Assert.Null(result.Error);
        Assert.Equal(201, sink.Status);
        Assert.Equal(payload, sink.Body);
        Assert.Equal(["a=1; Path=/", "b=2; Path=/"], sink.HeaderValues("Set-Cookie"));
        Assert.Equal(["hello"], sink.HeaderValues("X-Owner-Says"));
        Assert.Equal(["no-store"], sink.HeaderValues("Cache-Control"));
        Assert.Equal(["application/octet-stream"], sink.HeaderValues("Content-Type"));
        Assert.DoesNotContain(sink.Headers, h => h.Key.StartsWith("ActorHost-", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(sink.HeaderValues("Content-Length"));
        Assert.Empty(sink.HeaderValues("Date"));
        Assert.Equal(new HandlerIdentity("actorhost://owner-1/user/routes/counter/7", 2), envelope.Handler);

        // Ending the client's response is the gateway's job once it sees the result, not the relay's.
        Assert.False(sink.Completed);
        Assert.False(sink.Aborted);
    }

    [Fact]
    public async Task An_empty_started_response_still_completes_from_the_trailers()
    {
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.StatusCode = 204;
            await context.Response.StartAsync();
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        await SendAsync(_forwarder, envelope, owner.Address);

        Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal(204, envelope.Response.StatusCode);
        Assert.Equal(new HandlerIdentity("actorhost://owner-1/user/routes/counter/7", 2), envelope.Handler);
    }

    [Fact]
    public async Task A_head_request_completes_from_the_owners_trailers()
    {
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.StartAsync();
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(method: "HEAD"), sink);

        await SendAsync(_forwarder, envelope, owner.Address);

        Assert.Equal("HEAD", Assert.Single(owner.Received).Method);
        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.Ok, result.Outcome);
        Assert.Empty(sink.Body);
    }

    [Fact]
    public async Task A_large_request_body_and_many_concurrent_requests_reach_the_owner_intact()
    {
        byte[] large = new byte[1_000_000];
        new Random(7).NextBytes(large);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            await context.Response.WriteAsync("bytes " + context.Request.Headers[ForwardHeaders.RequestId]);
            OutcomeTrailers(context, "ok");
        });

        var exchanges = Enumerable.Range(0, 20).Select(i =>
        {
            var sink = new RecordingSink();
            var envelope = new RequestEnvelope(Forward.Request(method: "POST", body: large, requestId: $"req-{i}"), sink);
            return (Envelope: envelope, Sink: sink, Id: $"req-{i}");
        }).ToArray();
        await Task.WhenAll(exchanges.Select(e => SendAsync(_forwarder, e.Envelope, owner.Address, large)));

        foreach ((RequestEnvelope envelope, RecordingSink sink, string id) in exchanges)
        {
            Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
            Assert.Equal("bytes " + id, sink.BodyText);
            envelope.Dispose();
        }

        Assert.Equal(20, owner.Received.Count);
        Assert.All(owner.Received, r => Assert.Equal(large, r.Body));
    }

    [Theory]
    [InlineData("failed_after_start", RequestOutcome.FailedAfterStart)]
    [InlineData("handler_failed", RequestOutcome.FailedAfterStart)]
    [InlineData("timeout", RequestOutcome.Timeout)]
    [InlineData("peer_closed", RequestOutcome.PeerClosed)]
    [InlineData("gibberish", RequestOutcome.FailedAfterStart)]
    public async Task A_started_response_whose_trailers_report_a_failure_fails_with_the_owners_cause(string word, RequestOutcome expected)
    {
        OwnerServer owner = await OwnerAsync(async context =>
        {
            await context.Response.WriteAsync("partial");
            OutcomeTrailers(context, word, "System.InvalidOperationException", "failed after start");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(expected, result.Outcome);
        RemoteHandlerException error = Assert.IsType<RemoteHandlerException>(result.Error);
        Assert.Equal("System.InvalidOperationException", error.ExceptionType);
        Assert.Equal("owner-1", error.Node);
        Assert.Contains("failed after start", error.Message, StringComparison.Ordinal);

        // The owner's response arrived whole with its failure trailers: it was held back, so nothing reached the
        // client and the receiving gateway can still answer cleanly (500 for a failure) instead of cutting it off.
        Assert.Empty(sink.Steps);
    }

    [Fact]
    public async Task A_started_response_whose_trailers_report_a_client_error_counts_as_complete()
    {
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.StatusCode = 409;
            await context.Response.WriteAsync("conflict");
            OutcomeTrailers(context, "client_error");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        await SendAsync(_forwarder, envelope, owner.Address);

        Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal(409, sink.Status);
        Assert.Equal("conflict", sink.BodyText);
    }

    [Fact]
    public async Task A_started_response_that_ends_without_trailers_failed_after_start()
    {
        OwnerServer owner = await OwnerAsync(context => context.Response.WriteAsync("all of it?"));
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.IsType<RemoteHandlerException>(result.Error);

        // Without the owner's word on how it ended, the held response is not passed on as if it were complete.
        Assert.Empty(sink.Steps);
    }

    [Fact]
    public async Task An_owner_that_resets_the_stream_mid_body_fails_the_started_response()
    {
        var sentFirstPart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            // The owner names its worker in the headers too: the trailers that would say it never come.
            context.Response.Headers[ForwardHeaders.Worker] = "/user/routes/counter/7";
            context.Response.Headers[ForwardHeaders.Incarnation] = "4";
            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            await sentFirstPart.Task.WaitAsync(Forward.Guard);
            context.Abort();
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(_forwarder, envelope, owner.Address);
        await sink.WhenFlushedContaining("partial").WaitAsync(Forward.Guard);
        sentFirstPart.SetResult();

        Assert.Equal(ForwardAttempt.Completed, await sending);
        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.FailedAfterStart, result.Outcome);
        Assert.IsType<RemoteHandlerException>(result.Error);
        Assert.Equal("partial", sink.BodyText);
        Assert.Equal(new HandlerIdentity("actorhost://owner-1/user/routes/counter/7", 4), envelope.Handler);
        CapturedLine lost = Assert.Single(_log.Lines, l => l.EventId.Id == 603);
        Assert.Equal(LogLevel.Warning, lost.Level);
        Assert.Contains(lost.State, kv => kv.Key == "Started" && Equals(kv.Value, true));
    }

    [Fact]
    public async Task A_response_the_owner_declared_whole_is_held_until_its_trailers_however_long_they_take()
    {
        var clock = new ManualTimeProvider();
        using var forwarder = new RequestForwarder(Forward.Options(), "sender-1", _log.Factory, clock);
        var trailersMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.Headers[ForwardHeaders.Whole] = "1";
            context.Response.ContentLength = 5;
            await context.Response.WriteAsync("whole");
            await context.Response.Body.FlushAsync();
            await trailersMayGo.Task.WaitAsync(Forward.Guard);
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(forwarder, envelope, owner.Address);
        CapturedLine held = await _log.WhenLogged(606).WaitAsync(Forward.Guard);
        Assert.Contains(held.State, kv => kv.Key == "Bytes" && Equals(kv.Value, 5));

        // However long the owner pauses before its trailers, on the forwarder's own clock: no timer lets it go.
        Assert.Equal(0, clock.PendingTimerCount);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(sink.Steps);

        trailersMayGo.SetResult();
        Assert.Equal(ForwardAttempt.Completed, await sending);
        Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal("whole", sink.BodyText);
    }

    [Fact]
    public async Task An_owner_lost_between_a_whole_response_and_its_trailers_leaves_nothing_sent_and_the_shard_unavailable()
    {
        const string Body = "{\"key\":\"k287\",\"count\":1,\"incarnation\":1}";
        var ownerMayDie = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.Headers[ForwardHeaders.Whole] = "1";
            context.Response.ContentLength = Body.Length;
            await context.Response.WriteAsync(Body);
            await context.Response.Body.FlushAsync();
            await ownerMayDie.Task.WaitAsync(Forward.Guard);
            context.Abort();
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(_forwarder, envelope, owner.Address);
        await _log.WhenLogged(606).WaitAsync(Forward.Guard);
        ownerMayDie.SetResult();

        Assert.Equal(ForwardAttempt.Completed, await sending);
        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.ShardUnavailable, result.Outcome);
        Assert.Empty(sink.Steps);
        CapturedLine lost = Assert.Single(_log.Lines, l => l.EventId.Id == 603);
        Assert.Contains(lost.State, kv => kv.Key == "Started" && Equals(kv.Value, false));
    }

    [Fact]
    public async Task A_response_not_marked_whole_goes_out_once_the_owner_pauses_for_the_hold_on_the_forwarders_clock()
    {
        var clock = new ManualTimeProvider();
        using var forwarder = new RequestForwarder(Forward.Options(), "sender-1", _log.Factory, clock);
        var restMayGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            // A length alone does not make a response whole: a handler may set it and still stream.
            context.Response.ContentLength = 20;
            await context.Response.WriteAsync("first part");
            await context.Response.Body.FlushAsync();
            await restMayGo.Task.WaitAsync(Forward.Guard);
            await context.Response.WriteAsync(", the rest");
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(forwarder, envelope, owner.Address);
        Assert.True(clock.WaitForPendingTimers(1, Forward.Guard), "the forwarder never started waiting on the held bytes");
        Assert.Empty(sink.Steps);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        await sink.WhenFlushedContaining("first part").WaitAsync(Forward.Guard);

        restMayGo.SetResult();
        Assert.Equal(ForwardAttempt.Completed, await sending);
        Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal("first part, the rest", sink.BodyText);
        Assert.DoesNotContain(_log.Lines, l => l.EventId.Id == 606);
    }

    [Fact]
    public async Task An_owner_that_resets_the_stream_before_answering_makes_the_shard_unavailable_and_is_not_retried()
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        // Completed, not Unreachable: the request reached the owner, so it must not be sent anywhere else.
        Assert.Equal(ForwardAttempt.Completed, await SendAsync(_forwarder, envelope, owner.Address));

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.ShardUnavailable, result.Outcome);
        Assert.IsType<RemoteHandlerException>(result.Error);
        Assert.Empty(sink.Steps);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(400)]
    [InlineData(413)]
    public async Task A_refusal_by_the_internal_listener_is_a_gateway_fault_not_a_handler_failure(int status)
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            // The internal listener's own refusal: not the request path, so no node header.
            context.Response.Headers.Remove(ForwardHeaders.Node);
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        await SendAsync(_forwarder, envelope, owner.Address);

        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.GatewayFault, result.Outcome);
        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Steps);
    }

    [Fact]
    public async Task A_misdirected_answer_leaves_the_request_undecided()
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Misdirected, await SendAsync(_forwarder, envelope, owner.Address));

        Assert.False(envelope.IsCompleted);
        Assert.Null(envelope.Handler);
        Assert.Empty(sink.Steps);
        Assert.Single(owner.Received);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable_and_leaves_the_request_undecided()
    {
        Uri closed = ClosedPort();
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Assert.Equal(ForwardAttempt.Unreachable, await SendAsync(_forwarder, envelope, closed));

        Assert.False(envelope.IsCompleted);
        Assert.Empty(sink.Steps);
        CapturedLine line = Assert.Single(_log.Lines, l => l.EventId.Id == 601);
        Assert.Equal(LogLevel.Warning, line.Level);
    }

    [Fact]
    public async Task An_owner_that_does_not_accept_the_connection_in_time_is_unreachable_not_a_client_abort()
    {
        // A crashed node whose address silently drops packets (a dead pod's IP) never completes the TCP
        // handshake: the connect timeout expires. Nothing reached the owner, so the request must go elsewhere;
        // reporting it as a client abort would answer a client that is still waiting with 499.
        using var silent = new SilentListener();
        Uri address = silent.Address;
        using var forwarder = new RequestForwarder(Forward.Options() with { ForwardConnectTimeout = TimeSpan.FromMilliseconds(300) },
            "sender-1", _log.Factory, TimeProvider.System);
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink());

        ForwardAttempt attempt = await SendAsync(forwarder, envelope, address);

        RequestOutcome? decided = envelope.IsCompleted ? (await envelope.Completion).Outcome : null;
        Assert.Null(decided);
        Assert.Equal(ForwardAttempt.Unreachable, attempt);
    }

    [Fact]
    public async Task Server_sent_events_reach_the_sink_one_by_one_before_the_stream_ends()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(Forward.Guard);
            await context.Response.WriteAsync("data: two\n\n");
            await context.Response.Body.FlushAsync();
            OutcomeTrailers(context, "ok");
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(_forwarder, envelope, owner.Address);
        await sink.WhenFlushedContaining("data: one\n\n").WaitAsync(Forward.Guard);

        // The first event is at the client while the owner still holds the second one.
        Assert.Equal("data: one\n\n", sink.BodyText);
        Assert.False(sending.IsCompleted);
        Assert.False(envelope.IsCompleted);
        Assert.Equal(["text/event-stream"], sink.HeaderValues("Content-Type"));

        release.SetResult();

        Assert.Equal(ForwardAttempt.Completed, await sending);
        Assert.Equal(RequestOutcome.Ok, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
        Assert.Equal("data: one\n\ndata: two\n\n", sink.BodyText);
        Assert.Equal(["start 200", "write 11", "flush", "write 11", "flush"], sink.Steps);
    }

    [Fact]
    public async Task Cancelling_the_envelope_while_streaming_aborts_the_owners_request_and_the_result_is_client_aborted()
    {
        var ownerSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.RequestAborted.Register(() => ownerSawAbort.TrySetResult());
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The sender cancelled: what this test wants to see.
            }
        });
        var sink = new RecordingSink();
        using var envelope = new RequestEnvelope(Forward.Request(), sink);

        Task<ForwardAttempt> sending = SendAsync(_forwarder, envelope, owner.Address);
        await sink.WhenFlushedContaining("data: one").WaitAsync(Forward.Guard);
        envelope.Cancel(RequestOutcome.ClientAborted);

        await ownerSawAbort.Task.WaitAsync(Forward.Guard);
        Assert.Equal(ForwardAttempt.Completed, await sending);
        RequestResult result = await envelope.Completion.WaitAsync(Forward.Guard);
        Assert.Equal(RequestOutcome.ClientAborted, result.Outcome);
        Assert.IsAssignableFrom<OperationCanceledException>(result.Error);
    }

    [Fact]
    public async Task Cancelling_the_envelope_while_waiting_for_the_owners_answer_aborts_the_owners_request()
    {
        var ownerSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ownerEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OwnerServer owner = await OwnerAsync(async context =>
        {
            context.RequestAborted.Register(() => ownerSawAbort.TrySetResult());
            ownerEntered.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // Expected.
            }
        });
        using var envelope = new RequestEnvelope(Forward.Request(), new RecordingSink());

        Task<ForwardAttempt> sending = SendAsync(_forwarder, envelope, owner.Address);
        await ownerEntered.Task.WaitAsync(Forward.Guard);
        envelope.Cancel(RequestOutcome.Timeout);

        await ownerSawAbort.Task.WaitAsync(Forward.Guard);
        Assert.Equal(ForwardAttempt.Completed, await sending);
        Assert.Equal(RequestOutcome.Timeout, (await envelope.Completion.WaitAsync(Forward.Guard)).Outcome);
    }

    [Fact]
    public async Task The_forwarded_request_is_signed_and_carries_the_original_request_and_the_cluster_headers_but_no_hop_by_hop_headers()
    {
        OwnerServer owner = await OwnerAsync(context =>
        {
            Verdict(context, 200, "ok");
            return Task.CompletedTask;
        });
        byte[] body = Forward.Utf8("{\"by\":2}");
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase)
        {
            ["Connection"] = "keep-alive",
            ["Keep-Alive"] = "timeout=5",
            ["Proxy-Connection"] = "keep-alive",
            ["Transfer-Encoding"] = "chunked",
            ["Upgrade"] = "websocket",
            ["TE"] = "gzip",
            ["Trailer"] = "X-Checksum",
            ["Host"] = "public.example",
            ["Content-Length"] = "999",
            ["Proxy-Authorization"] = "Basic c2VjcmV0",
            [ForwardHeaders.Signature] = "forged",
            [ForwardHeaders.Outcome] = "ok",
            ["X-Custom"] = new StringValues(["one", "two"]),
            ["Content-Type"] = "application/json",
            ["Accept"] = "application/json",
            ["Authorization"] = "Bearer user-token",
        };
        var query = new Dictionary<string, StringValues>
        {
            ["x"] = "1",
            ["tag"] = new StringValues(["a", "b c&d"]),
        };
        WorkerRequest request = Forward.Request(method: "POST", path: "/counter/a b/increment", key: "a b", query: query, headers: headers,
            body: body, requestId: "req-77");
        using var envelope = new RequestEnvelope(request, new RecordingSink());

        await SendAsync(_forwarder, envelope, owner.Address, body);

        ReceivedRequest received = Assert.Single(owner.Received);
        Assert.Equal("HTTP/2", received.Protocol);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/counter/a b/increment", received.Path);
        Assert.Equal("/counter/a%20b/increment?x=1&tag=a&tag=b%20c%26d", received.RawTarget);
        Assert.Equal(body, received.Body);

        var verifier = new ForwardVerifier(Forward.Options(), _log.Factory);
        Assert.Null(verifier.Verify(received.Method, received.RawTarget, received.Header, received.Body, null,
            ForwardSignature.ClientHeaders(received.Headers.Select(h => KeyValuePair.Create(h.Key, new StringValues(h.Value))))));

        Assert.Equal("counter", received.Header(ForwardHeaders.Route));
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "a b" },
            JsonSerializer.Deserialize<Dictionary<string, string?>>(received.Header(ForwardHeaders.RouteValues)!));
        Assert.Equal("3:5", received.Header(ForwardHeaders.Shard));
        Assert.Equal("sender-1", received.Header(ForwardHeaders.Origin));
        Assert.Equal("req-77", received.Header(ForwardHeaders.RequestId));
        Assert.NotEqual("forged", received.Header(ForwardHeaders.Signature));
        Assert.Null(received.Header(ForwardHeaders.Outcome));

        Assert.Equal(["one", "two"], received.Headers["X-Custom"].SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)));
        Assert.Equal("application/json", received.Header("Content-Type"));
        Assert.Equal("application/json", received.Header("Accept"));
        Assert.Equal("Bearer user-token", received.Header("Authorization"));
        Assert.NotEqual("999", received.Header("Content-Length"));
        Assert.Equal($"127.0.0.1:{owner.Address.Port}", received.Header("Host"));
        foreach (string hopByHop in new[] { "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "Trailer", "Proxy-Authorization" })
        {
            Assert.Null(received.Header(hopByHop));
        }

        Assert.NotEqual("gzip", received.Header("TE"));
    }

    [Fact]
    public async Task Requests_to_one_owner_reuse_one_connection()
    {
        var connections = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        OwnerServer owner = await OwnerAsync(context =>
        {
            connections.TryAdd(context.Connection.Id, 0);
            Verdict(context, 200, "ok");
            return Task.CompletedTask;
        });

        for (int i = 0; i < 5; i++)
        {
            using var envelope = new RequestEnvelope(Forward.Request(requestId: $"req-{i}"), new RecordingSink());
            await SendAsync(_forwarder, envelope, owner.Address);
        }

        Assert.Equal(5, owner.Received.Count);
        Assert.Single(connections);
    }

    private static Uri ClosedPort()
    {
        // A port that was just free and is closed now: connecting is refused at once.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return new Uri($"http://127.0.0.1:{port}");
    }
}
