using System.Net;
using ActorHost.Actors;
using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Tests.Outcomes;

/// <summary>Rules 1 and 2 on the real runtime: what each directive means for the client, the state and the log.</summary>
public sealed class SupervisionDirectiveTests
{
    private const string GateRoutes = """
        actorhost.routes.gate { path = "/gate/{id}/{**action}", methods = [GET, POST], worker = gate, mode = entity }
        """ + "\n";

    [Fact]
    public async Task Failure_before_start_is_answered_500_and_logged_once_at_Error_with_route_worker_and_incarnation()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        Http.Answer answer = await gateway.Client.PostAsync("/counter/r1/fail");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/counter/r1/fail");

        Assert.Equal(500, answer.Status);
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(500, answer.Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(answer.Json.GetProperty("requestId").GetString()));
        Assert.DoesNotContain("asked to fail", answer.Body, StringComparison.Ordinal);
        Assert.False(answer.Json.TryGetProperty("exception", out _));

        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Equal("handler_failed", line.Text("Outcome"));
        Assert.Equal("counter", line.Text("Route"));
        Assert.Equal("/user/routes/counter/r1", line.Text("WorkerPath"));
        Assert.Equal(1, line["Incarnation"]);
        Assert.Equal("System.InvalidOperationException", line.Text("ErrorType"));
        Assert.Single(gateway.Logs.Records, r => r.Exception is InvalidOperationException);
        Assert.Single(gateway.Logs.RequestFinished);
    }

    [Fact]
    public async Task Development_flag_shows_the_exception_in_the_problem()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("actorhost.gateway.development = on");

        Http.Answer answer = await gateway.Client.PostAsync("/counter/dev/fail");

        Assert.Equal(500, answer.Status);
        Assert.Equal("System.InvalidOperationException", answer.Json.GetProperty("exception").GetProperty("type").GetString());
        Assert.Contains("asked to fail", answer.Json.GetProperty("exception").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_gives_the_next_request_a_fresh_instance_with_the_next_incarnation()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        await gateway.Client.PostAsync("/counter/r2/increment");
        Http.Answer second = await gateway.Client.PostAsync("/counter/r2/increment");
        Http.Answer failed = await gateway.Client.PostAsync("/counter/r2/fail");
        Http.Answer after = await gateway.Client.PostAsync("/counter/r2/increment");

        Assert.Equal((2L, 1), (second.Count, second.Incarnation));
        Assert.Equal(500, failed.Status);
        Assert.Equal((1L, 2), (after.Count, after.Incarnation));
    }

    [Fact]
    public async Task Restart_serves_requests_already_queued_on_the_worker_with_the_fresh_instance()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(GateRoutes);
        InFlightRequests inFlight = gateway.App.Services.GetRequiredService<InFlightRequests>();

        Task<Http.Answer> failing = gateway.Client.PostAsync("/gate/q/wait-then-fail?gate=a");
        await gateway.Gates.Entered("a");
        Task<Http.Answer>[] queued = [.. Enumerable.Range(0, 3).Select(_ => gateway.Client.PostAsync("/gate/q/count"))];
        await WaitUntilAsync(() => inFlight.Count == 4);
        await WaitForMailboxAsync(gateway, "/user/routes/gate/q", depth: 3);
        gateway.Gates.Release("a");
        Http.Answer[] answers = await Task.WhenAll(queued);

        Assert.Equal(500, (await failing).Status);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.All(answers, a => Assert.Equal(2, a.Incarnation));
        Assert.Equal([1L, 2L, 3L], answers.Select(a => a.Count).Order());
    }

    [Fact]
    public async Task Resume_keeps_the_instance_and_its_state()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(GateRoutes + """
            actorhost.routes.gate.supervision = keep-state
            actorhost.supervision.strategies.keep-state.decider = [
              { exception = "System.FormatException", directive = resume }
              { exception = "*", directive = restart } ]
            """);

        await gateway.Client.PostAsync("/gate/r3/count");
        await gateway.Client.PostAsync("/gate/r3/count");
        Http.Answer failed = await gateway.Client.PostAsync("/gate/r3/fail?ex=System.FormatException");
        Http.Answer after = await gateway.Client.PostAsync("/gate/r3/count");

        Assert.Equal(500, failed.Status);
        Assert.Equal((3L, 1), (after.Count, after.Incarnation));
    }

    [Fact]
    public async Task Stop_answers_queued_requests_503_with_Retry_After_and_the_next_request_gets_a_new_incarnation()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(GateRoutes + """
            actorhost.routes.gate.supervision = stop-it
            actorhost.supervision.strategies.stop-it.decider = [{ exception = "*", directive = stop }]
            """);
        InFlightRequests inFlight = gateway.App.Services.GetRequiredService<InFlightRequests>();

        Http.Answer before = await gateway.Client.PostAsync("/gate/s1/count");
        Task<Http.Answer> failing = gateway.Client.PostAsync("/gate/s1/wait-then-fail?gate=a");
        await gateway.Gates.Entered("a");
        Task<Http.Answer>[] queued = [.. Enumerable.Range(0, 2).Select(_ => gateway.Client.PostAsync("/gate/s1/count"))];
        await WaitUntilAsync(() => inFlight.Count == 3);
        await WaitForMailboxAsync(gateway, "/user/routes/gate/s1", depth: 2);
        gateway.Gates.Release("a");
        Http.Answer[] answers = await Task.WhenAll(queued);
        Http.Answer next = await gateway.Client.PostAsync("/gate/s1/count");
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 5);

        Assert.Equal(500, (await failing).Status);
        Assert.All(answers, a => Assert.Equal(503, a.Status));
        Assert.All(answers, a => Assert.NotNull(a.Response.Headers.RetryAfter));
        Assert.Equal(200, next.Status);
        Assert.Equal(1L, next.Count);
        Assert.NotEqual(before.Incarnation, next.Incarnation);
        Assert.Equal(2, gateway.Logs.RequestFinished.Count(l => l.Text("Outcome") == "worker_stopped" && l.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task A_pool_that_lost_its_last_worker_is_logged_once_marked_degraded_on_ready_and_named_in_its_503s()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.pool { path = "/pool/{**action}", methods = [POST], worker = gate, mode = pool, instances = 2, supervision = stop-it }
            actorhost.supervision.strategies.stop-it.decider = [{ exception = "*", directive = stop }]
            """);
        Http.Answer readyBefore = await gateway.Management.GetAnswerAsync("/ready");

        Http.Answer firstFailure = await gateway.Client.PostAsync("/pool/fail");
        Http.Answer servedByTheOther = await gateway.Client.PostAsync("/pool/count");
        Http.Answer lastFailure = await gateway.Client.PostAsync("/pool/fail");
        CapturedLog warning = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "PoolWithoutLiveWorkers");
        Http.Answer refused = await gateway.Client.PostAsync("/pool/count");
        Http.Answer refusedAgain = await gateway.Client.PostAsync("/pool/count");
        Http.Answer ready = await gateway.Management.GetAnswerAsync("/ready");
        await gateway.Logs.WaitForAsync(_ => gateway.Logs.RequestFinished.Count == 5);

        Assert.Equal("""{"status":"ready"}""", readyBefore.Body);
        Assert.Equal((500, 200, 500), (firstFailure.Status, servedByTheOther.Status, lastFailure.Status));
        Assert.Equal((LogLevel.Warning, 4115, "ActorHost.Workers"), (warning.Level, warning.EventId.Id, warning.Category));
        Assert.Equal(("pool", 2), (warning.Text("Route"), warning["PoolSize"]));
        Assert.Single(gateway.Logs.Records, r => r.EventId.Name == "PoolWithoutLiveWorkers");
        foreach (Http.Answer answer in new[] { refused, refusedAgain })
        {
            Assert.Equal(503, answer.Status);
            Assert.NotNull(answer.Response.Headers.RetryAfter);
            Assert.Equal("worker_stopped", answer.Json.GetProperty("outcome").GetString());
            Assert.Contains("no live workers left (0 of 2)", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The node still serves its other routes: it stays in rotation and says what is wrong.
        Assert.Equal(200, ready.Status);
        Assert.Equal("ready", ready.Json.GetProperty("status").GetString());
        Assert.Equal("route pool: no live workers (0 of 2)", ready.Json.GetProperty("degraded").GetString());
        Assert.Equal(200, (await gateway.Client.PostAsync("/counter/d1/increment")).Status);
    }

    [Fact]
    public async Task A_pool_rebuilt_by_a_route_restart_serves_again_and_ready_is_no_longer_degraded()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.pool { path = "/pool/{**action}", methods = [POST], worker = gate, mode = pool, instances = 1, supervision = stop-it }
            actorhost.routes.boom { path = "/boom/{**action}", methods = [POST], worker = gate, mode = pool, instances = 1, supervision = escalate-it }
            actorhost.supervision.strategies.stop-it.decider = [{ exception = "*", directive = stop }]
            actorhost.supervision.strategies.escalate-it.decider = [{ exception = "*", directive = escalate }]
            actorhost.supervision.strategies.restart-all-routes { type = all-for-one, decider = [{ exception = "*", directive = restart }] }
            actorhost.supervision.route-supervisors = restart-all-routes
            """);
        Assert.Equal(500, (await gateway.Client.PostAsync("/pool/fail")).Status);
        await gateway.Logs.WaitForAsync(r => r.EventId.Name == "PoolWithoutLiveWorkers");
        Http.Answer degraded = await gateway.Management.GetAnswerAsync("/ready");

        Assert.Equal(500, (await gateway.Client.PostAsync("/boom/fail")).Status);
        CapturedLog back = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "PoolWorkersBack");
        Http.Answer served = await gateway.Client.PostAsync("/pool/count");
        Http.Answer ready = await gateway.Management.GetAnswerAsync("/ready");

        Assert.Equal("route pool: no live workers (0 of 1)", degraded.Json.GetProperty("degraded").GetString());
        Assert.Equal((LogLevel.Information, 4116), (back.Level, back.EventId.Id));
        Assert.Equal(("pool", 1, 1), (back.Text("Route"), back["LiveWorkers"], back["PoolSize"]));
        Assert.Equal(200, served.Status);
        Assert.Equal("""{"status":"ready"}""", ready.Body);
    }

    [Fact]
    public async Task All_for_one_on_a_pool_restarts_every_worker_of_the_route()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.pool { path = "/pool/{**action}", methods = [POST], worker = gate, mode = pool, instances = 2, supervision = together }
            actorhost.supervision.strategies.together { type = all-for-one, decider = [{ exception = "*", directive = restart }] }
            """);

        Http.Answer first = await gateway.Client.PostAsync("/pool/count");
        Http.Answer second = await gateway.Client.PostAsync("/pool/count");
        Http.Answer failed = await gateway.Client.PostAsync("/pool/fail");
        Http.Answer third = await gateway.Client.PostAsync("/pool/count");
        Http.Answer fourth = await gateway.Client.PostAsync("/pool/count");

        Assert.NotEqual(first.Json.GetProperty("path").GetString(), second.Json.GetProperty("path").GetString());
        Assert.Equal(500, failed.Status);
        Assert.Equal([(1L, 2), (1L, 2)], new[] { (third.Count, third.Incarnation), (fourth.Count, fourth.Incarnation) });
        Assert.NotEqual(third.Json.GetProperty("path").GetString(), fourth.Json.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Exhausted_retry_budget_stops_the_worker_instead_of_restarting_it()
    {
        await using RealGateway gateway = await RealGateway.StartAsync(GateRoutes + """
            actorhost.routes.gate.supervision = twice
            actorhost.supervision.strategies.twice { max-nr-of-retries = 1, within-time-range = 1h }
            """);

        Http.Answer firstFailure = await gateway.Client.PostAsync("/gate/b1/fail");
        Http.Answer restarted = await gateway.Client.PostAsync("/gate/b1/count");
        Http.Answer secondFailure = await gateway.Client.PostAsync("/gate/b1/fail");
        CapturedLog exhausted = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "RetriesExhausted");
        CapturedLog stopped = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "WorkerStopped" && r.Text("Path") == "/user/routes/gate/b1");
        Http.Answer fresh = await gateway.Client.PostAsync("/gate/b1/count");

        Assert.Equal(500, firstFailure.Status);
        Assert.Equal(2, restarted.Incarnation);
        Assert.Equal(500, secondFailure.Status);
        Assert.Equal("/user/routes/gate/b1", exhausted.Text("Path"));
        Assert.NotNull(stopped);
        Assert.Equal(1L, fresh.Count);
    }

    [Fact]
    public async Task Escalate_to_the_root_answers_500_logs_Critical_and_exits_with_the_configured_code()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.counter.supervision = escalate
            actorhost.root.exit-code = 71
            """);

        Http.Answer answer = await gateway.Client.PostAsync("/counter/e1/fail");
        int exitCode = await gateway.Exit.Exited.WaitAsync(TimeSpan.FromSeconds(15));
        CapturedLog critical = await gateway.Logs.WaitForAsync(r => r.EventId.Name == "RootEscalation");

        Assert.Equal(500, answer.Status);
        Assert.Equal(71, exitCode);
        Assert.Equal(LogLevel.Critical, critical.Level);
        Assert.IsType<InvalidOperationException>(critical.Exception);
        Assert.Equal("handler_failed", (await gateway.Logs.WaitForFinishedAsync("/counter/e1/fail")).Text("Outcome"));
    }

    [Fact]
    public async Task Escalation_with_on_escalation_shutdown_stops_the_host_and_sets_the_exit_code()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.counter.supervision = escalate
            actorhost.root.on-escalation = shutdown
            """);

        Http.Answer answer = await gateway.Client.PostAsync("/counter/e2/fail");
        int exitCode = await gateway.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(500, answer.Status);
        Assert.Equal(70, exitCode);
        Assert.False(gateway.Exit.Exited.IsCompleted);
    }

    [Fact]
    public async Task Requests_during_the_drain_delay_of_an_escalation_shutdown_are_rejected_not_sent_to_the_ended_runtime()
    {
        await using RealGateway gateway = await RealGateway.StartAsync("""
            actorhost.routes.counter.supervision = escalate
            actorhost.root.on-escalation = shutdown
            actorhost.shutdown.drain-delay = 30s
            """);

        await gateway.Client.PostAsync("/counter/e3/fail");
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == ShutdownLog.PhaseStartedId && r.Text("Phase") == "drain-delay");
        Http.Answer late = await gateway.Client.PostAsync("/echo");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/echo");

        // The actor system ended with the escalation: nothing can serve the request, and "worker stopped" would
        // blame a worker. The gateway is shutting down, so it says that, as it does from stop-accepting on.
        Assert.Equal(503, late.Status);
        Assert.NotNull(late.Response.Headers.RetryAfter);
        Assert.Equal("rejected", line.Text("Outcome"));
    }

    [Fact]
    public async Task Client_error_is_4xx_and_never_restarts_the_worker()
    {
        await using RealGateway gateway = await RealGateway.StartAsync();

        await gateway.Client.PostAsync("/counter/c1/increment");
        Http.Answer rejected = await gateway.Client.PostAsync("/counter/c1/no-such-action");
        Http.Answer after = await gateway.Client.GetAnswerAsync("/counter/c1");
        CapturedLog line = await gateway.Logs.WaitForFinishedAsync("/counter/c1/no-such-action");

        Assert.Equal(404, rejected.Status);
        Assert.Equal("application/problem+json", rejected.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((1L, 1), (after.Count, after.Incarnation));
        Assert.Equal("client_error", line.Text("Outcome"));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.DoesNotContain(gateway.Logs.Records, r => r.EventId.Name is "WorkerFailed" or "WorkerRestarted");
    }

    /// <summary>Waits until the requests are really queued in the worker's own mailbox (not still being routed).</summary>
    internal static async Task WaitForMailboxAsync(RealGateway gateway, string path, int depth)
    {
        ActorSystem system = gateway.Runtime.System;
        IActorRef? worker = null;
        await WaitUntilAsync(() =>
        {
            worker ??= system.Resolve(ActorPath.Parse(path));
            return worker is not null && system.Inspect(worker)?.MailboxDepth == depth;
        });
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Polls a cheap in-memory condition; the bound is only a failure guard.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Yield();
            guard.Token.ThrowIfCancellationRequested();
        }
    }
}
