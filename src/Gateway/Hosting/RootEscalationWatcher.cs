using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Requests;
using ActorHost.Gateway.Shutdown;
using ActorHost.Workers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Hosting;

/// <summary>
/// Watches the worker runtime for its end. A failure escalated past the root guardian is logged Critical
/// and ends the process with <c>actorhost.root.exit-code</c>: at once (<c>exit</c>) or after the normal
/// host stop (<c>shutdown</c>).
/// </summary>
/// <remarks>
/// The failing request's envelope is completed before the escalation propagates, so its 500 is already
/// decided when the runtime reports termination; the watcher waits (briefly, bounded) for decided
/// requests to be answered before exiting. Everything else in flight is cut off: after a root failure the
/// runtime is not trusted to finish it, and a prompt restart by the supervisor of the process (systemd,
/// Kubernetes) serves users better than a half-working process.
/// </remarks>
internal sealed class RootEscalationWatcher(
    IWorkerRuntime runtime,
    GatewaySettings settings,
    InFlightRequests inFlight,
    IHostApplicationLifetime lifetime,
    GracefulShutdown shutdown,
    GatewayExitCode exitCode,
    IProcessExit processExit,
    IServer server,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    /// <summary>How long decided requests may take to get their answer out before the process exits.</summary>
    internal static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>How long the listeners get to deliver what was already answered before the process exits.</summary>
    internal static readonly TimeSpan ServerStopBound = TimeSpan.FromSeconds(1);

    private readonly ILogger _log = loggerFactory.CreateLogger(GatewayLog.Category);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RuntimeTermination termination;
        try
        {
            termination = await runtime.WhenTerminated.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // A graceful shutdown terminates the runtime itself (its stop-workers phase): that is no failure.
        if (stoppingToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested
            || (shutdown.Phase != ShutdownPhase.Running && !termination.Escalated))
        {
            return;
        }

        int code = settings.Root.ExitCode;
        exitCode.Set(code);
        if (!termination.Escalated)
        {
            GatewayLog.RuntimeTerminatedUnexpectedly(_log, code);
            shutdown.Shutdown("the worker runtime terminated unexpectedly");
            return;
        }

        EscalationAction action = settings.Root.OnEscalation;
        GatewayLog.RootEscalation(_log, termination.Reason, code, action == EscalationAction.Exit ? "exit" : "shutdown");
        if (action == EscalationAction.Shutdown)
        {
            shutdown.Shutdown("root escalation");
            return;
        }

        await inFlight.WaitForDecidedAsync(AnswerBound, timeProvider);

        // An answer written is not yet an answer sent: Kestrel's send loop may still hold its bytes. Stopping
        // the server closes connections gracefully (their output drained first) within a short bound, after
        // which whatever is left is cut off.
        using (var stopBound = new CancellationTokenSource(ServerStopBound, timeProvider))
        {
            try
            {
                await server.StopAsync(stopBound.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // Bounded on purpose; the exit below does not wait for stragglers.
            }
        }

        processExit.Exit(code);
    }
}
