using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Shutdown;

/// <summary>The shutdown's log lines (category <c>ActorHost.Shutdown</c>, event ids 300–319).</summary>
internal static partial class ShutdownLog
{
    /// <summary>The category of every shutdown line.</summary>
    public const string Category = "ActorHost.Shutdown";

    /// <summary>Event id of <see cref="PhaseStarted"/>.</summary>
    public const int PhaseStartedId = 301;

    /// <summary>Event id of <see cref="PhaseFinished"/>.</summary>
    public const int PhaseFinishedId = 302;

    /// <summary>Event id of <see cref="WaitingForStart"/>.</summary>
    public const int WaitingForStartId = 309;

    /// <summary>Event id of <see cref="RequestCutOff"/>.</summary>
    public const int RequestCutOffId = 304;

    [LoggerMessage(EventId = 300, EventName = "ShutdownStarted", Level = LogLevel.Information,
        Message = "Shutdown started ({Reason}): drain-delay {DrainDelayMs} ms, grace {GraceMs} ms, mercy {MercyMs} ms, stop-workers {StopWorkersMs} ms; {InFlight} requests in flight")]
    public static partial void ShutdownStarted(ILogger logger, string reason, double drainDelayMs, double graceMs, double mercyMs, double stopWorkersMs, int inFlight);

    [LoggerMessage(EventId = PhaseStartedId, EventName = "PhaseStarted", Level = LogLevel.Information,
        Message = "Shutdown phase {Phase} started (at most {TimeoutMs} ms); {InFlight} requests in flight")]
    public static partial void PhaseStarted(ILogger logger, string phase, double timeoutMs, int inFlight);

    [LoggerMessage(EventId = PhaseFinishedId, EventName = "PhaseFinished", Level = LogLevel.Information,
        Message = "Shutdown phase {Phase} finished in {DurationMs} ms ({Ending}); {InFlight} requests in flight")]
    public static partial void PhaseFinished(ILogger logger, string phase, double durationMs, string ending, int inFlight);

    [LoggerMessage(EventId = 303, EventName = "SignalReceived", Level = LogLevel.Warning,
        Message = "{Signal} received during shutdown (signal {Count}): {Action}")]
    public static partial void SignalReceived(ILogger logger, string signal, int count, string action);

    [LoggerMessage(EventId = RequestCutOffId, EventName = "RequestCutOff", Level = LogLevel.Warning,
        Message = "{Method} {Path} (route {Route}, worker {WorkerPath}) was still running at the end of mercy and is cut off: outcome shutdown_aborted")]
    public static partial void RequestCutOff(ILogger logger, string method, string path, string route, string? workerPath);

    [LoggerMessage(EventId = 305, EventName = "ShutdownFinished", Level = LogLevel.Information,
        Message = "Shutdown finished in {DurationMs} ms; exit code {ExitCode}")]
    public static partial void ShutdownFinished(ILogger logger, double durationMs, int exitCode);

    [LoggerMessage(EventId = 306, EventName = "WatchdogFired", Level = LogLevel.Critical,
        Message = "Shutdown exceeded its budget of {BudgetMs} ms (stuck in phase {Phase}); exiting now with code {ExitCode}")]
    public static partial void WatchdogFired(ILogger logger, double budgetMs, string phase, int exitCode);

    [LoggerMessage(EventId = 307, EventName = "ImmediateExit", Level = LogLevel.Critical,
        Message = "{Signal} received a third time: exiting at once with code {ExitCode} (phase {Phase} left unfinished)")]
    public static partial void ImmediateExit(ILogger logger, string signal, int exitCode, string phase);

    [LoggerMessage(EventId = 308, EventName = "StepFailed", Level = LogLevel.Error,
        Message = "Shutdown step {Step} failed; continuing with the next phase")]
    public static partial void StepFailed(ILogger logger, Exception exception, string step);

    [LoggerMessage(EventId = WaitingForStartId, EventName = "WaitingForStart", Level = LogLevel.Information,
        Message = "Shutdown waits for the gateway's start to finish before its phases run")]
    public static partial void WaitingForStart(ILogger logger);

    [LoggerMessage(EventId = 310, EventName = "StartFailedDuringShutdown", Level = LogLevel.Information,
        Message = "The gateway's start failed while the shutdown waited for it; no phase runs, the process exits with the start's failure")]
    public static partial void StartFailedDuringShutdown(ILogger logger);
}
