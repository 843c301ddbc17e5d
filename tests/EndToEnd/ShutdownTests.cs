using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ActorHost.EndToEnd;

/// <summary>
/// The graceful shutdown as an operator sees it: the real executable, real signals, real sockets. Nothing
/// sleeps to synchronise: every step waits on a log line, a response or the process exit.
/// </summary>
public sealed class ShutdownTests
{
    private const int RequestFinished = 1;
    private const int RequestDispatched = 108;
    private const int ShutdownStarted = 300;
    private const int PhaseStarted = 301;
    private const int PhaseFinished = 302;
    private const int SignalReceived = 303;
    private const int RequestCutOff = 304;
    private const int ImmediateExit = 307;

    private static readonly string[] Phases = ["drain-delay", "stop-accepting", "grace", "mercy", "stop-workers"];

    [Fact]
    public async Task Sigterm_under_load_finishes_every_request_ends_streams_refuses_newcomers_and_exits_0_on_time()
    {
        string markers = Directory.CreateTempSubdirectory("actorhost-markers-").FullName;
        await using GatewayProcess gateway = GatewayProcess.Start("--config", Config(markers, grace: "3s", mercy: "1s"));
        Uri address = await gateway.GatewayAddressAsync();
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        // A keep-alive connection that is open (and idle) when the shutdown begins.
        await using RawConnection keepAlive = await RawConnection.OpenAsync(address);
        RawResponse before = await keepAlive.SendAsync("POST", "/echo", "x");
        Assert.Equal(200, before.Status);

        // The client has its answer before the gateway has let the request go (its line logged, then off the
        // in-flight list): on a loaded host that took long enough for the shutdown below to count it in flight.
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestFinished && GatewayProcess.State(r, "Path") == "/echo");

        var streams = new List<EventStream>();
        for (int i = 0; i < 3; i++)
        {
            EventStream stream = await EventStream.OpenAsync(client, "/stream?interval-ms=200");
            await stream.ReadUntilAsync("event: tick");
            streams.Add(stream);
        }

        Task<HttpResponseMessage>[] slow = [.. Enumerable.Range(0, 50).Select(_ => client.GetAsync("/slow?ms=1500"))];
        await WaitForCountAsync(gateway, r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "slow", 50);

        await gateway.SignalAsync("TERM");
        var sinceSignal = Stopwatch.StartNew();

        // Grace has begun, so the listeners are closed: an open connection gets 503, a new one is refused.
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == PhaseStarted && GatewayProcess.State(r, "Phase") == "grace");
        RawResponse during = await keepAlive.SendAsync("POST", "/echo", "y");
        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var newcomer = new TcpClient();
            await newcomer.ConnectAsync(address.Host, address.Port);
        });

        HttpResponseMessage[] answers = await Task.WhenAll(slow);
        string[] streamEnds = await Task.WhenAll(streams.Select(s => s.ReadToEndAsync()));
        int exitCode = await gateway.WaitForExitAsync();
        TimeSpan shutdownTook = sinceSignal.Elapsed;

        Assert.Equal(503, during.Status);
        Assert.Equal("5", during.Header("Retry-After"));
        Assert.Equal("close", during.Header("Connection"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers, a => Assert.True(a.Headers.ConnectionClose, "responses sent after the listeners closed do not keep their connection alive"));
        Assert.All(streamEnds, end => Assert.Contains("event: shutdown", end, StringComparison.Ordinal));
        Assert.Equal(0, exitCode);
        Assert.True(shutdownTook < TimeSpan.FromSeconds(0 + 3 + 1 + 1), $"the shutdown took {shutdownTook}");

        IReadOnlyList<JsonElement> records = gateway.Records;
        foreach (string phase in Phases)
        {
            Assert.Single(records, r => GatewayProcess.Event(r) == PhaseStarted && GatewayProcess.State(r, "Phase") == phase);
            Assert.Single(records, r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == phase);
        }

        JsonElement started = Assert.Single(records, r => GatewayProcess.Event(r) == ShutdownStarted);
        Assert.Equal("53", GatewayProcess.State(started, "InFlight"));
        JsonElement[] finished = [.. records.Where(r => GatewayProcess.Event(r) == RequestFinished)];
        Assert.Equal(50, finished.Count(r => GatewayProcess.State(r, "Path") == "/slow" && GatewayProcess.State(r, "Outcome") == "ok"));
        Assert.Equal(3, finished.Count(r => GatewayProcess.State(r, "Path") == "/stream" && GatewayProcess.State(r, "Outcome") == "ok"));
        Assert.Single(finished, r => GatewayProcess.State(r, "Path") == "/echo" && GatewayProcess.State(r, "Outcome") == "ok");
        Assert.Single(finished, r => GatewayProcess.State(r, "Path") == "/echo" && GatewayProcess.State(r, "Outcome") == "rejected");
        Assert.Equal(55, finished.Length);
        Assert.DoesNotContain(records, r => GatewayProcess.Field(r, "LogLevel") is "Error" or "Critical");

        // Every live worker's stop hook ran: the pools of the default config are all created at start.
        string[] stopped = [.. Directory.GetFiles(markers).Select(Path.GetFileName)!];
        Assert.Equal(16, stopped.Count(f => f.StartsWith("echo_", StringComparison.Ordinal)));
        Assert.Equal(64, stopped.Count(f => f.StartsWith("slow_", StringComparison.Ordinal)));
        Assert.Equal(16, stopped.Count(f => f.StartsWith("stream_", StringComparison.Ordinal)));
        Assert.Equal(2, stopped.Count(f => f.StartsWith("partial_", StringComparison.Ordinal)));

        foreach (EventStream stream in streams)
        {
            stream.Dispose();
        }

        foreach (HttpResponseMessage answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Handler_that_ignores_cancellation_is_cut_off_at_the_end_of_mercy_and_the_process_exits_on_time()
    {
        string markers = Directory.CreateTempSubdirectory("actorhost-markers-").FullName;
        string faults = """
            actorhost.faults {
              enabled = on
              rules = [{ route = slow, point = hang, nth = 1, hang-limit = 1m }]
            }
            """;
        await using GatewayProcess gateway = GatewayProcess.Start("--config", Config(markers, grace: "1s", mercy: "1s", extra: faults));
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };

        Task<HttpResponseMessage> hung = client.GetAsync("/slow?ms=10");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "slow");
        await gateway.SignalAsync("TERM");
        var sinceSignal = Stopwatch.StartNew();
        using HttpResponseMessage answer = await hung;
        int exitCode = await gateway.WaitForExitAsync();
        TimeSpan shutdownTook = sinceSignal.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Equal(0, exitCode);
        // drain-delay 0 + grace 1 + mercy 1 + the workers' stop and exit, within the budget the watchdog enforces
        // (1+1+2+1; exit code 0 above says the watchdog did not have to). A bound of its own tighter than the budget
        // would only measure how loaded the machine is.
        Assert.True(shutdownTook < TimeSpan.FromSeconds(1 + 1 + 2 + 1), $"the shutdown took {shutdownTook}");
        IReadOnlyList<JsonElement> records = gateway.Records;
        JsonElement cutOff = Assert.Single(records, r => GatewayProcess.Event(r) == RequestCutOff);
        Assert.Equal("/slow", GatewayProcess.State(cutOff, "Path"));
        JsonElement finished = Assert.Single(records, r => GatewayProcess.Event(r) == RequestFinished);
        Assert.Equal("shutdown_aborted", GatewayProcess.State(finished, "Outcome"));
        Assert.Equal("503", GatewayProcess.State(finished, "Status"));
        Assert.Equal(64, Directory.GetFiles(markers, "slow_*").Length);
    }

    [Fact]
    public async Task Drain_delay_fails_readiness_at_once_while_requests_are_still_served_until_it_ends()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("--config", Config(null, grace: "1s", mercy: "1s", drainDelay: "2s"));
        Uri address = await gateway.GatewayAddressAsync();
        Uri management = await ManagementAddressAsync(gateway);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        using var ops = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(30) };
        using HttpResponseMessage readyBefore = await ops.GetAsync("/ready");

        await gateway.SignalAsync("TERM");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == ShutdownStarted);
        using HttpResponseMessage ready = await ops.GetAsync("/ready");
        using HttpResponseMessage alive = await ops.GetAsync("/alive");
        using HttpResponseMessage echo = await client.PostAsync("/echo", new StringContent("still here"));
        bool drainStillRunning = !gateway.Records.Any(r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == "drain-delay");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == "stop-accepting");
        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var newcomer = new TcpClient();
            await newcomer.ConnectAsync(address.Host, address.Port);
        });
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.OK, readyBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("still here", await echo.Content.ReadAsStringAsync());
        Assert.True(drainStillRunning, "the echo was answered only after the drain delay had ended");
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Second_sigterm_skips_to_mercy_and_a_third_exits_at_once()
    {
        string faults = """
            actorhost.faults {
              enabled = on
              rules = [{ route = echo, point = hang, every = 1, hang-limit = 1m }]
            }
            """;
        await using GatewayProcess gateway = GatewayProcess.Start("--config", Config(null, grace: "30s", mercy: "20s", extra: faults));
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(60) };

        // One request that honours cancellation, one that hangs through it.
        Task<HttpResponseMessage> cooperative = client.GetAsync("/slow?ms=60000");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "slow");
        Task<HttpResponseMessage> hung = client.PostAsync("/echo", new StringContent("never answered"));
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "echo");

        await gateway.SignalAsync("TERM");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == PhaseStarted && GatewayProcess.State(r, "Phase") == "grace");
        await gateway.SignalAsync("TERM");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == PhaseStarted && GatewayProcess.State(r, "Phase") == "mercy");
        using HttpResponseMessage cancelled = await cooperative;
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestFinished && GatewayProcess.State(r, "Outcome") == "shutdown_aborted");
        await gateway.SignalAsync("TERM");
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, cancelled.StatusCode);
        Assert.Equal(128 + 15, exitCode);
        IReadOnlyList<JsonElement> records = gateway.Records;
        Assert.Single(records, r => GatewayProcess.Event(r) == SignalReceived);
        Assert.Single(records, r => GatewayProcess.Event(r) == ImmediateExit);
        JsonElement grace = Assert.Single(records, r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == "grace");
        Assert.Contains("skipped", GatewayProcess.State(grace, "Ending"), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => hung);
    }

    [Fact]
    public async Task Root_escalation_with_on_escalation_shutdown_answers_everything_runs_the_phases_and_exits_with_the_escalation_code()
    {
        string escalate = Path.Combine(GatewayProcess.RepositoryRoot, "hocon", "examples", "escalate.conf");
        await using GatewayProcess gateway = GatewayProcess.Start("--config", escalate,
            "--config", Config(null, grace: "3s", mercy: "1s", extra: "actorhost.root.on-escalation = shutdown"));
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };

        // Far longer than the test: the escalation must find it still running, however slowly the failure arrives.
        Task<HttpResponseMessage> slow = client.GetAsync("/slow?ms=60000");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "slow");
        using HttpResponseMessage failed = await client.PostAsync("/counter/7/fail", null);
        using HttpResponseMessage finished = await slow;
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        // The escalation has already terminated the actor system: what it held is answered, not lost.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, finished.StatusCode);
        Assert.Equal(70, exitCode);
        IReadOnlyList<JsonElement> records = gateway.Records;
        JsonElement started = Assert.Single(records, r => GatewayProcess.Event(r) == ShutdownStarted);
        Assert.Equal("root escalation", GatewayProcess.State(started, "Reason"));
        foreach (string phase in Phases)
        {
            Assert.Single(records, r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == phase);
        }
    }

    [Fact]
    public async Task Post_shutdown_with_the_management_token_runs_the_same_graceful_shutdown_and_exits_0()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("--config", Config(null, grace: "3s", mercy: "1s", extra: "actorhost.management.token = \"s3cret\""));
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };
        using var ops = new HttpClient { BaseAddress = await ManagementAddressAsync(gateway), Timeout = TimeSpan.FromSeconds(30) };
        Task<HttpResponseMessage> slow = client.GetAsync("/slow?ms=500");
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RequestDispatched && GatewayProcess.State(r, "Route") == "slow");

        using var post = new HttpRequestMessage(HttpMethod.Post, "/shutdown");
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        using HttpResponseMessage accepted = await ops.SendAsync(post);
        using HttpResponseMessage finished = await slow;
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal(0, exitCode);
        JsonElement started = Assert.Single(gateway.Records, r => GatewayProcess.Event(r) == ShutdownStarted);
        Assert.Equal("POST /shutdown", GatewayProcess.State(started, "Reason"));
        Assert.Single(gateway.Records, r => GatewayProcess.Event(r) == PhaseFinished && GatewayProcess.State(r, "Phase") == "stop-workers");
    }

    [Fact]
    public async Task Shutdown_phase_that_could_never_end_is_a_configuration_error_with_file_line_and_column()
    {
        string bad = GatewayProcess.TestConfig("actorhost.shutdown.grace = infinite");
        await using GatewayProcess gateway = GatewayProcess.Start("--config", bad);

        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(78, exitCode);
        Assert.Contains($"{bad}:6:28: actorhost.shutdown.grace", gateway.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Records, r => GatewayProcess.Event(r) == 104);
    }

    private static string Config(string? markers, string grace, string mercy, string drainDelay = "0s", string extra = "")
    {
        string markerLine = markers is null ? string.Empty : $"actorhost.samples.stop-marker-dir = \"{markers}\"";
        return GatewayProcess.TestConfig($$"""
            actorhost.shutdown { drain-delay = {{drainDelay}}, grace = {{grace}}, mercy = {{mercy}}, stop-workers = 2s }
            {{markerLine}}
            Logging.LogLevel { "ActorHost.Gateway" = Debug }
            {{extra}}
            """);
    }

    private static async Task<Uri> ManagementAddressAsync(GatewayProcess gateway)
    {
        JsonElement line = await gateway.WaitForAsync(r => GatewayProcess.Event(r) == 104 && GatewayProcess.State(r, "Listener") == "Management API");
        return new Uri(GatewayProcess.State(line, "Addresses")!.Split(',')[0].Trim());
    }

    private static async Task WaitForCountAsync(GatewayProcess gateway, Func<JsonElement, bool> match, int count)
    {
        // Each record is seen once by the matcher, so counting inside it is exact.
        int seen = 0;
        await gateway.WaitForAsync(r => match(r) && Interlocked.Increment(ref seen) >= count);
    }
}
