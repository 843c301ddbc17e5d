using System.Net;
using ActorHost.Gateway.Shutdown;
using ActorHost.Gateway.Tests.Infrastructure;
using ActorHost.Workers;
using ActorHost.Workers.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RouteOptions = ActorHost.Workers.Options.RouteOptions;

namespace ActorHost.Gateway.Tests.Shutdown;

/// <summary>
/// A shutdown that begins while the host is still starting: the gateway's lifetime listens for signals before the
/// hosted services start, so a SIGTERM can land between the management listener and Kestrel.
/// </summary>
public sealed class ShutdownDuringStartTests
{
    private static readonly string[] PhaseOrder = GracefulShutdownTests.PhaseOrder;

    /// <summary>
    /// Starts a gateway with a hosted service that asks for the shutdown as it starts — where GatewayLifetime's signal
    /// handler would — before Kestrel (always the last hosted service) starts.
    /// </summary>
    private static Task<TestGateway> StartAsync(ShutdownOptions options, bool holdStartUntilTheShutdownMoves, ProgressAtStart? progressAtStart = null)
    {
        var runtime = new FakeWorkerRuntime().Route(GracefulShutdownTests.Route("echo"), (req, res, ct) => res.WriteAsync("hi", ct).AsTask());
        return TestGateway.StartAsync(_ => runtime, services: s =>
        {
            s.RemoveAll<ShutdownOptions>();
            s.AddSingleton(options);
            s.AddHostedService(sp => new ShutdownWhileStarting(
                sp.GetRequiredService<IShutdownHandle>(),
                sp.GetRequiredService<IHostApplicationLifetime>(),
                sp.GetServices<ILoggerProvider>().OfType<LogCapture>().Single(),
                holdStartUntilTheShutdownMoves,
                progressAtStart ?? new ProgressAtStart()));
        });
    }

    [Fact]
    public async Task Shutdown_begun_while_the_host_starts_runs_its_phases_only_once_the_host_has_started()
    {
        var progressAtStart = new ProgressAtStart();
        await using TestGateway gateway = await StartAsync(
            new ShutdownOptions { Grace = TimeSpan.FromSeconds(1), Mercy = TimeSpan.FromSeconds(1), StopWorkers = TimeSpan.FromSeconds(1) },
            holdStartUntilTheShutdownMoves: true,
            progressAtStart);
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();

        await handle.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        int exitCode = await gateway.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(15));

        // Before the fix the phases ran at once: stop-workers stopped a Kestrel that had not started yet, which
        // then started anyway on its disposed heartbeat (the process died of SIGABRT).
        Assert.Equal(0, progressAtStart.PhasesStarted);
        Assert.Contains(gateway.Logs.Records, r => r.EventId.Id == ShutdownLog.WaitingForStartId);
        string[] phases = [.. gateway.Logs.Records.Where(r => r.EventId.Id == ShutdownLog.PhaseStartedId).Select(r => r.Text("Phase")!)];
        Assert.Equal(PhaseOrder, phases);
        Assert.Equal(ShutdownPhase.Stopped, handle.Phase);
        Assert.Equal(0, exitCode);
        Assert.False(gateway.Exit.Exited.IsCompleted);
    }

    [Fact]
    public async Task Readiness_stays_failed_when_the_shutdown_began_while_the_gateway_was_starting()
    {
        await using TestGateway gateway = await StartAsync(new ShutdownOptions { DrainDelay = TimeSpan.FromSeconds(30) }, holdStartUntilTheShutdownMoves: false);
        IShutdownHandle handle = gateway.App.Services.GetRequiredService<IShutdownHandle>();
        await gateway.Logs.WaitForAsync(r => r.EventId.Id == ShutdownLog.PhaseStartedId && r.Text("Phase") == "drain-delay");

        using HttpResponseMessage ready = await gateway.Management.GetAsync("/ready");
        string reason = await ready.Content.ReadAsStringAsync();

        // The drain delay exists so that load balancers see "not ready" and stop sending: the end of the start must
        // not replace the shutdown's reason with "ready".
        Assert.Equal(ShutdownPhase.DrainDelay, handle.Phase);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("shutting down: SIGTERM", reason, StringComparison.Ordinal);
    }

    /// <summary>How many shutdown phases had begun when the host reported itself started (every hosted service, Kestrel included).</summary>
    private sealed class ProgressAtStart
    {
        public int? PhasesStarted { get; set; }
    }

    /// <summary>
    /// Asks for the shutdown as a SIGTERM would during the start. When holding, it keeps the start waiting until the
    /// shutdown has either said it waits for the start or finished without waiting (the bug), so the outcome does not
    /// depend on how fast the phases run.
    /// </summary>
    private sealed class ShutdownWhileStarting(
        IShutdownHandle handle,
        IHostApplicationLifetime lifetime,
        LogCapture logs,
        bool hold,
        ProgressAtStart progressAtStart) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() => progressAtStart.PhasesStarted = logs.Records.Count(r => r.EventId.Id == ShutdownLog.PhaseStartedId));
            handle.Shutdown("SIGTERM");
            if (hold)
            {
                Task waiting = logs.WaitForAsync(r => r.EventId.Id == ShutdownLog.WaitingForStartId);
                await Task.WhenAny(waiting, handle.Completion).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
