using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ActorHost.Actors.TestKit;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Requests;

/// <summary>
/// The host's half of the outcome rules, over a stand-in runtime: what the client gets and what the one
/// request-finished line says, decided from the response channel's state.
/// </summary>
public sealed class RequestPathTests
{
    private static RouteOptions Route(string name, string path = "", HandlerMode mode = HandlerMode.Detached, TimeSpan? timeout = null, TimeSpan? stuckAfter = null) => new()
    {
        Name = name,
        Path = path.Length == 0 ? "/" + name : path,
        Methods = ["GET", "POST"],
        Worker = name,
        HandlerMode = mode,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        StuckAfter = stuckAfter ?? TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task Successful_handler_is_answered_with_its_response_and_logged_once_as_ok()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("hello"), async (req, res, ct) =>
        {
            res.ContentType = "text/plain";
            await res.WriteAsync("hi " + req.QueryValue("name"), ct);
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        string body = await gateway.Client.GetStringAsync("/hello?name=ann");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/hello");

        Assert.Equal("hi ann", body);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("ok", line.Text("Outcome"));
        Assert.Equal(200, line["Status"]);
        Assert.Equal(6L, line["Bytes"]);
        Assert.Equal("GET", line.Text("Method"));
        Assert.Equal("hello", line.Text("Route"));
        Assert.Equal("/user/routes/hello/w1", line.Text("WorkerPath"));
        Assert.Equal(1, line["Incarnation"]);
        Assert.Equal(false, line["ClientLeft"]);
        Assert.Single(gateway.Logs.RequestFinished);
    }

    [Fact]
    public async Task Handler_failure_before_start_is_answered_500_problem_without_exception_details()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("fail"), (_, _, _) => throw new InvalidOperationException("secret detail"));
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/fail");
        string text = await response.Content.ReadAsStringAsync();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/fail");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Equal("urn:actorhost:outcome:handler_failed", problem.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("requestId").GetString()));
        Assert.DoesNotContain("secret detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);

        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal("handler_failed", line.Text("Outcome"));
        Assert.Equal(500, line["Status"]);
        Assert.IsType<InvalidOperationException>(line.Exception);
        Assert.Equal("System.InvalidOperationException", line.Text("ErrorType"));
        Assert.Single(gateway.Logs.Records, r => r.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Development_flag_puts_the_exception_in_the_problem()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("fail"), (_, _, _) => throw new InvalidOperationException("visible detail"));
        var settings = new GatewaySettings { Gateway = new GatewayOptions { Development = true } };
        await using TestGateway gateway = await TestGateway.StartAsync(runtime, settings);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/fail");
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        JsonElement exception = problem.RootElement.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Equal("visible detail", exception.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Failure_after_the_response_started_truncates_the_response_and_logs_the_status_really_sent()
    {
        // The handler fails only once the client has the start of the response: the abort that follows the failure
        // must not be able to reach the socket before the flushed bytes do.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(Route("partial"), async (_, res, ct) =>
        {
            await res.WriteAsync(new byte[100], ct);
            await res.FlushAsync(ct);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
            throw new InvalidOperationException("after start");
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        await using RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/partial");
        await raw.ReadUntilAsync("HTTP/1.1 200");
        started.SetResult();
        (string text, _) = await raw.ReadToEndAsync();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/partial");

        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n0\r\n\r\n", text, StringComparison.Ordinal); // chunked body never terminated
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal("failed_after_start", line.Text("Outcome"));
        Assert.Equal(200, line["Status"]);
        Assert.Equal(100L, line["Bytes"]);
        Assert.Equal(true, line["Aborted"]);
        Assert.IsType<InvalidOperationException>(line.Exception);
    }

    [Fact]
    public async Task Failure_after_start_is_seen_by_HttpClient_as_a_broken_body()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("partial"), async (_, res, ct) =>
        {
            res.SetHeader("Content-Length", "1000");
            await res.WriteAsync(new byte[10], ct);
            await res.FlushAsync(ct);
            throw new InvalidOperationException("after start");
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/partial", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Client_input_rejection_is_answered_with_its_4xx_and_logged_as_client_error()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("strict"), (_, _, _) => throw new ClientInputException(422, "count must be a number"));
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.PostAsync("/strict", new StringContent("{"));
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/strict");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("count must be a number", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("client_error", line.Text("Outcome"));
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task Body_over_the_limit_is_answered_413_before_any_handler_runs()
    {
        int calls = 0;
        var runtime = new FakeWorkerRuntime().Route(Route("echo"), (_, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        var settings = new GatewaySettings { Gateway = new GatewayOptions { MaxRequestBodySize = 1000 } };
        await using TestGateway gateway = await TestGateway.StartAsync(runtime, settings);

        using HttpResponseMessage declared = await gateway.Client.PostAsync("/echo", new ByteArrayContent(new byte[1001]));
        var chunked = new StreamContent(new MemoryStream(new byte[5000]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage streamed = await gateway.Client.SendAsync(request);
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 2);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(0, calls);
        Assert.All(gateway.Logs.RequestFinished, line => Assert.Equal("client_error", line.Text("Outcome")));
        Assert.All(gateway.Logs.RequestFinished, line => Assert.Equal(413, line["Status"]));
    }

    [Fact]
    public async Task Body_within_the_limit_reaches_the_handler_whole()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("echo"), async (req, res, ct) =>
        {
            using var copy = new MemoryStream();
            await req.Body.CopyToAsync(copy, ct);
            res.ContentType = req.ContentType ?? "application/octet-stream";
            await res.WriteAsync(copy.ToArray(), ct);
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.PostAsync("/echo", new StringContent("payload", Encoding.UTF8, "text/x-test"));

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/x-test", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Body_sent_in_pieces_after_100_continue_reaches_the_handler_whole()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("echo"), async (req, res, ct) =>
        {
            ReadOnlyMemory<byte> body = await req.ReadBodyAsync(ct);
            res.ContentType = "text/plain";
            await res.WriteAsync(body, ct);
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        await using RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        // Nothing of the body has arrived when the gateway starts reading it: it must wait for all of it.
        await raw.SendRawAsync("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
        await raw.ReadUntilAsync("100 Continue");
        await raw.SendRawAsync("hello");
        await raw.SendRawAsync("world");
        await raw.ReadUntilAsync("helloworld");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/echo");

        Assert.Equal("ok", line.Text("Outcome"));
        Assert.Equal(200, line["Status"]);
    }

    [Fact]
    public async Task Worker_stopped_is_answered_503_with_Retry_After()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("gone"), (_, _, _) => Task.CompletedTask);
        runtime.ImmediateResults["gone"] = new RequestResult(RequestOutcome.WorkerStopped);
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/gone");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/gone");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("worker_stopped", line.Text("Outcome"));
    }

    [Fact]
    public async Task Timeout_before_start_is_answered_504_and_a_handler_ignoring_it_is_reported_stuck_after_stuck_after()
    {
        var clock = new ManualTimeProvider();
        var neverEnds = new TaskCompletionSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(
            Route("hang", timeout: TimeSpan.FromSeconds(30), stuckAfter: TimeSpan.FromSeconds(5)),
            async (_, _, _) =>
            {
                entered.SetResult();
                await neverEnds.Task;
            });
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, services: s => s.AddSingleton<TimeProvider>(clock));

        Task<HttpResponseMessage> pending = gateway.Client.GetAsync("/hang");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(clock.WaitForPendingTimers(1, TimeSpan.FromSeconds(15)));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage response = await pending;
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/hang");
        Assert.True(clock.WaitForPendingTimers(1, TimeSpan.FromSeconds(15)));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(runtime.Stuck.Task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        RequestEnvelope stuck = await runtime.Stuck.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("timeout", line.Text("Outcome"));
        Assert.Equal(504, line["Status"]);
        Assert.Equal("/hang", stuck.Request.Path);
        neverEnds.SetResult();
    }

    [Fact]
    public async Task Timeout_of_a_cooperative_handler_is_not_reported_stuck()
    {
        var runtime = new FakeWorkerRuntime().Route(
            Route("slow", timeout: TimeSpan.FromMilliseconds(100)),
            async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/slow");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("timeout", line.Text("Outcome"));
        Assert.False(runtime.Stuck.Task.IsCompleted);
    }

    [Fact]
    public async Task Timeout_after_start_cuts_the_response_off()
    {
        // The clock moves only once the client has the first event: the response has surely started when the timeout
        // fires. (The handler's flush returning is not enough: it hands the bytes to Kestrel, and the timeout's abort
        // could still reach the socket before they do.)
        var clock = new ManualTimeProvider();
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(
            Route("stream", timeout: TimeSpan.FromMilliseconds(300)),
            async (_, res, ct) =>
            {
                await res.WriteAsync("data: 1\n\n", ct);
                await res.FlushAsync(ct);
                flushed.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
            });
        await using TestGateway gateway = await TestGateway.StartAsync(_ => runtime, services: s => s.AddSingleton<TimeProvider>(clock));
        await using RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/stream");
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await raw.ReadUntilAsync("data: 1");
        clock.Advance(TimeSpan.FromMilliseconds(300));
        (string text, _) = await raw.ReadToEndAsync();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/stream");

        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\n0\r\n\r\n", text, StringComparison.Ordinal);
        Assert.Equal("timeout", line.Text("Outcome"));
        Assert.Equal(200, line["Status"]);
        Assert.Equal(true, line["Aborted"]);
    }

    [Fact]
    public async Task Client_leaving_in_cancel_on_disconnect_mode_fires_the_token_and_logs_499_client_aborted()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(Route("wait", mode: HandlerMode.CancelOnDisconnect), async (_, _, ct) =>
        {
            waiting.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/wait");
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(15));
        raw.Close();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/wait");

        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("client_aborted", line.Text("Outcome"));
        Assert.Equal(499, line["Status"]);
        Assert.Equal(true, line["ClientLeft"]);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task Client_leaving_in_detached_mode_lets_the_handler_finish_and_logs_its_real_result()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool tokenFired = false;
        var runtime = new FakeWorkerRuntime().Route(Route("work"), async (_, _, ct) =>
        {
            waiting.SetResult();
            await release.Task;
            tokenFired = ct.IsCancellationRequested;
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/work");
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(15));
        raw.Close();
        await gateway.Logs.WaitForAsync(r => r.EventId.Name == "ClientDisconnected");
        release.SetResult();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/work");

        Assert.False(tokenFired);
        Assert.Equal("ok", line.Text("Outcome"));
        Assert.Equal(true, line["ClientLeft"]);
    }

    [Fact]
    public async Task Handler_throwing_after_the_client_left_is_a_handler_failure_not_a_499()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runtime = new FakeWorkerRuntime().Route(Route("work"), async (_, _, _) =>
        {
            waiting.SetResult();
            await release.Task;
            throw new InvalidOperationException("broke after the client left");
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/work");
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(15));
        raw.Close();
        await gateway.Logs.WaitForAsync(r => r.EventId.Name == "ClientDisconnected");
        release.SetResult();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/work");

        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal("handler_failed", line.Text("Outcome"));
        Assert.Equal(500, line["Status"]);
        Assert.Equal(true, line["ClientLeft"]);
    }

    [Fact]
    public async Task Write_failing_because_the_peer_is_gone_cancels_the_handler_and_logs_peer_closed()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("stream"), async (_, res, ct) =>
        {
            for (int i = 0; ; i++)
            {
                await res.WriteAsync(new byte[10], ct);
            }
        });
        runtime.WrapSink = sink => new FailingAfterWritesSink(sink, writesBeforeFailure: 3);
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        await using RawHttp raw = await RawHttp.ConnectAsync(gateway.BaseAddress);

        await raw.SendAsync("GET", "/stream");
        (string text, _) = await raw.ReadToEndAsync();
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/stream");

        Assert.DoesNotContain("\r\n0\r\n\r\n", text, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("peer_closed", line.Text("Outcome"));
        Assert.Equal(30L, line["Bytes"]);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task A_fault_in_the_gateways_own_path_is_Critical_and_never_a_handler_failure()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("any"), (_, _, _) => Task.CompletedTask);
        runtime.DispatchFault = new InvalidOperationException("runtime bug");
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/any");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/any");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("gateway_fault", text, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Equal("gateway_fault", line.Text("Outcome"));
        Assert.Single(gateway.Logs.Records, r => r.EventId.Name == "GatewayFault" && r.Level == LogLevel.Critical && r.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Method_not_configured_for_the_route_is_refused_405()
    {
        var runtime = new FakeWorkerRuntime().Route(Route("hello") with { Methods = ["POST"] }, (_, _, _) => Task.CompletedTask);
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);

        using HttpResponseMessage response = await gateway.Client.GetAsync("/hello");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Route_values_query_and_headers_reach_the_worker()
    {
        WorkerRequest? seen = null;
        var runtime = new FakeWorkerRuntime().Route(Route("items", "/items/{id}/{**rest}"), (req, _, _) =>
        {
            seen = req;
            return Task.CompletedTask;
        });
        await using TestGateway gateway = await TestGateway.StartAsync(runtime);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/42/a/b?x=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", "t");

        using HttpResponseMessage response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(seen);
        Assert.Equal("42", seen.RouteValue("id"));
        Assert.Equal("a/b", seen.RouteValue("rest"));
        Assert.Equal("1", seen.QueryValue("x"));
        Assert.Equal("Token t", seen.Headers["Authorization"].ToString());
        Assert.Equal("items", seen.Route);
        Assert.False(string.IsNullOrEmpty(seen.RequestId));
    }

    private sealed class FailingAfterWritesSink(IResponseSink inner, int writesBeforeFailure) : IResponseSink
    {
        private int _writes;

        public ValueTask StartAsync(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
            inner.StartAsync(statusCode, headers, cancellationToken);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            ++_writes > writesBeforeFailure ? throw new IOException("simulated peer reset") : inner.WriteAsync(data, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public ValueTask CompleteAsync() => inner.CompleteAsync();

        public void Abort() => inner.Abort();
    }
}
