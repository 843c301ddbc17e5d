using System.Globalization;
using ActorHost.Gateway.Hosting;
using ActorHost.Gateway.Requests;
using ActorHost.Workers;
using ActorHost.Workers.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// Runs the graceful shutdown: drain-delay → stop accepting → grace → mercy → stop workers → exit, each
/// phase bounded by its configured time and logged as it starts and finishes. A watchdog ends the process
/// once the whole budget is spent, whatever the workers do.
/// </summary>
/// <remarks>
/// Triggers: the first SIGTERM/SIGINT (<see cref="OnSignal"/>), <see cref="Shutdown"/> (code, <c>POST /shutdown</c>,
/// a root escalation with <c>on-escalation = shutdown</c>). Each later signal raises the pressure: the next
/// skips straight to mercy, the one after exits at once. The host itself is only asked to stop once every
/// phase has run, so ASP.NET's own stop never races the phases.
/// </remarks>
internal sealed class GracefulShutdown : IShutdownHandle, IDisposable
{
    /// <summary>How long the answers of requests cut off at the end of mercy may take to go out.</summary>
    internal static readonly TimeSpan CutOffAnswerBound = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The least time Kestrel gets to close the connections left before they are aborted: they are idle by then
    /// or flushing answers already written, which a loaded machine may take a while to send. It gets half of the
    /// stop-workers budget when that is more; the workers get the rest.
    /// </summary>
    internal static readonly TimeSpan ServerStopBound = TimeSpan.FromMilliseconds(500);

    private readonly ShutdownOptions _options;
    private readonly GatewayReadiness _readiness;
    private readonly InFlightRequests _inFlight;
    private readonly ListenerGate _listeners;
    private readonly IServer _server;
    private readonly IWorkerRuntime _runtime;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly GatewayExitCode _exitCode;
    private readonly IProcessExit _processExit;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _started = new();
    private readonly CancellationTokenSource _grace = new();
    private readonly CancellationTokenSource _skipToMercy = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ShutdownWatchdog _watchdog;
    private readonly IClusterLeave? _leave;
    private readonly HostStart _hostStart;
    private int _phase;
    private int _begun;
    private int _pressure;
    private string? _reason;

    public GracefulShutdown(
        ShutdownOptions options,
        GatewayReadiness readiness,
        InFlightRequests inFlight,
        ListenerGate listeners,
        IServer server,
        IWorkerRuntime runtime,
        IHostApplicationLifetime lifetime,
        GatewayExitCode exitCode,
        IProcessExit processExit,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IEnumerable<IClusterLeave> leave,
        HostStart hostStart)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _readiness = readiness;
        _inFlight = inFlight;
        _listeners = listeners;
        _server = server;
        _runtime = runtime;
        _lifetime = lifetime;
        _exitCode = exitCode;
        _processExit = processExit;
        _time = timeProvider;
        _log = loggerFactory.CreateLogger(ShutdownLog.Category);
        _leave = leave.FirstOrDefault();
        _hostStart = hostStart;
        _watchdog = new ShutdownWatchdog(options, exitCode, processExit, timeProvider, _log);
    }

    public ShutdownPhase Phase => (ShutdownPhase)Volatile.Read(ref _phase);

    public string? Reason => Volatile.Read(ref _reason);

    public CancellationToken ShutdownStarted => _started.Token;

    /// <summary>Fires when grace begins: handlers see it as <see cref="WorkerRequest.ShutdownToken"/> (endless responses end).</summary>
    public CancellationToken GraceStarted => _grace.Token;

    /// <summary>
    /// True from the stop-accepting phase on, or as soon as the shutdown has begun when the worker runtime has already
    /// ended (a root escalation with <c>on-escalation = shutdown</c>, a runtime that terminated on its own): new
    /// requests are answered 503 <c>rejected</c> and connections are not kept alive. During the drain-delay of such a
    /// shutdown nothing could serve them, and sending them to the ended runtime would blame a worker (<c>worker_stopped</c>).
    /// </summary>
    public bool RefusesRequests => Phase >= ShutdownPhase.StopAccepting
        || (Volatile.Read(ref _begun) == 1 && _runtime.WhenTerminated.IsCompleted);

    public Task Completion => _completion.Task;

    public bool Shutdown(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (Interlocked.Exchange(ref _begun, 1) == 1)
        {
            return false;
        }

        Interlocked.Increment(ref _pressure);
        Volatile.Write(ref _reason, reason);

        // Readiness fails and the phase is the first one before this call returns, so whoever asked (POST /shutdown,
        // a signal) and then reads /ready or Phase sees the shutdown under way; the phases themselves run in the
        // background (and wait for the host's start, if it is still starting).
        Volatile.Write(ref _phase, (int)(_leave is not null ? ShutdownPhase.Leave : ShutdownPhase.DrainDelay));
        _readiness.MarkNotReady("shutting down: " + reason);
        _ = Task.Run(() => RunAsync(reason));
        return true;
    }

    /// <summary>
    /// A stop signal: the first starts the shutdown; during a shutdown the next skips to mercy and the one
    /// after that exits at once (128 + the signal's number, as shells report a death by signal). Once the
    /// shutdown has finished, signals are ignored: the process is on its way out with the exit code already decided.
    /// </summary>
    public void OnSignal(string signal, int signalNumber)
    {
        if (Shutdown(signal))
        {
            return;
        }

        int pressure = Interlocked.Increment(ref _pressure);
        if (Phase == ShutdownPhase.Stopped)
        {
            // Nothing is left to hurry: exiting now would only replace the decided code (0, or the escalation's)
            // with 128 + the signal, and log a phase "left unfinished" that had in fact finished.
            ShutdownLog.SignalReceived(_log, signal, pressure, "ignored, the shutdown has finished");
            return;
        }

        if (pressure == 2)
        {
            ShutdownLog.SignalReceived(_log, signal, pressure, "skipping to mercy");
            try
            {
                _skipToMercy.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The host is already disposed: the shutdown is over.
            }

            return;
        }

        int code = 128 + signalNumber;
        string phase = Phase.Name();
        ShutdownLog.ImmediateExit(_log, signal, code, phase);
        _processExit.Exit(code);
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        _started.Dispose();
        _grace.Dispose();
        _skipToMercy.Dispose();
    }

    private async Task RunAsync(string reason)
    {
        long startedAt = _time.GetTimestamp();
        _started.Cancel();
        _watchdog.Arm(() => Phase);
        ShutdownLog.ShutdownStarted(_log, reason, _options.DrainDelay.TotalMilliseconds, _options.Grace.TotalMilliseconds,
            _options.Mercy.TotalMilliseconds, _options.StopWorkers.TotalMilliseconds, _inFlight.Count);

        // A signal can arrive while the hosted services start (the lifetime listens before they do). The phases
        // act on what the start sets up — stopping Kestrel before it has started lets it start afterwards on
        // disposed parts — so they wait for the start; readiness already fails meanwhile, the watchdog counts.
        if (!_hostStart.Finished.IsCompleted)
        {
            ShutdownLog.WaitingForStart(_log);
        }

        if (!await _hostStart.Finished)
        {
            // Whoever started the host reports the failure and exits with it; there is nothing to drain.
            ShutdownLog.StartFailedDuringShutdown(_log);
            Volatile.Write(ref _phase, (int)ShutdownPhase.Stopped);
            _completion.TrySetResult();
            return;
        }

        if (_leave is not null)
        {
            await PhaseAsync(ShutdownPhase.Leave, _options.Leave, () => _leave.LeaveAsync(_options.Leave, _skipToMercy.Token));
        }

        await PhaseAsync(ShutdownPhase.DrainDelay, _options.DrainDelay, DrainDelayAsync);
        await PhaseAsync(ShutdownPhase.StopAccepting, TimeSpan.Zero, StopAcceptingAsync);
        await PhaseAsync(ShutdownPhase.Grace, _options.Grace, GraceAsync);
        await PhaseAsync(ShutdownPhase.Mercy, _options.Mercy, MercyAsync);
        await PhaseAsync(ShutdownPhase.StopWorkers, _options.StopWorkers, StopWorkersAsync);

        Volatile.Write(ref _phase, (int)ShutdownPhase.Stopped);
        double totalMs = Math.Round(_time.GetElapsedTime(startedAt).TotalMilliseconds, 1);
        ShutdownLog.ShutdownFinished(_log, totalMs, _exitCode.Value);
        _completion.TrySetResult();
        _lifetime.StopApplication();
    }

    private async Task PhaseAsync(ShutdownPhase phase, TimeSpan timeout, Func<Task<string>> run)
    {
        Volatile.Write(ref _phase, (int)phase);
        string name = phase.Name();
        long startedAt = _time.GetTimestamp();
        ShutdownLog.PhaseStarted(_log, name, timeout.TotalMilliseconds, _inFlight.Count);
        string ending;
        try
        {
            ending = await run();
        }
        catch (Exception ex)
        {
            // One broken step must not keep the later phases (and the exit) from happening.
            ShutdownLog.StepFailed(_log, ex, name);
            ending = "failed: " + ex.GetType().Name;
        }

        double durationMs = Math.Round(_time.GetElapsedTime(startedAt).TotalMilliseconds, 1);
        ShutdownLog.PhaseFinished(_log, name, durationMs, ending, _inFlight.Count);
    }

    private async Task<string> DrainDelayAsync()
    {
        if (_options.DrainDelay <= TimeSpan.Zero)
        {
            return "no delay configured";
        }

        try
        {
            await Task.Delay(_options.DrainDelay, _time, _skipToMercy.Token);
            return "delay elapsed";
        }
        catch (OperationCanceledException)
        {
            return "cut short by a repeated signal";
        }
    }

    private async Task<string> StopAcceptingAsync()
    {
        await _listeners.CloseListenersAsync();
        return "listening sockets closed; open connections get 503";
    }

    private async Task<string> GraceAsync()
    {
        await _grace.CancelAsync();
        if (_runtime is WorkerRuntime workers)
        {
            // Workers see it as WorkerContext.ShutdownToken too (the request's token is the one above).
            workers.SignalShutdown();
        }

        return await WaitForRequestsAsync(_options.Grace, _skipToMercy.Token);
    }

    private async Task<string> MercyAsync()
    {
        foreach (InFlightRequest request in _inFlight.Snapshot())
        {
            request.Envelope?.Cancel(RequestOutcome.ShutdownAborted);
        }

        string ending = await WaitForRequestsAsync(_options.Mercy, CancellationToken.None);
        IReadOnlyCollection<InFlightRequest> left = _inFlight.Snapshot();
        if (left.Count == 0)
        {
            return ending;
        }

        // Still running after being cancelled: decide their result now. The endpoint answers 503 if nothing
        // was sent yet, or cuts the connection off, and logs the request-finished line with shutdown_aborted.
        foreach (InFlightRequest request in left)
        {
            if (request.TryCutOffBeforeDispatch())
            {
                // Its body was still arriving: its read is cancelled and the request path answers 503 shutdown_aborted.
                ShutdownLog.RequestCutOff(_log, request.Method, request.Path, request.Route, null);
                continue;
            }

            if (request.Envelope is not { } envelope)
            {
                continue;
            }

            ShutdownLog.RequestCutOff(_log, envelope.Request.Method, envelope.Request.Path, envelope.Request.Route, envelope.Handler?.Path);
            envelope.Cancel(RequestOutcome.ShutdownAborted);
            envelope.TryComplete(new RequestResult(RequestOutcome.ShutdownAborted,
                new OperationCanceledException("The request was still running at the end of the shutdown's mercy period.")));
        }

        try
        {
            await Task.WhenAll(left.Select(r => r.Answered)).WaitAsync(CutOffAnswerBound, _time);
        }
        catch (TimeoutException)
        {
            // Bounded on purpose: the server stop that follows aborts whatever connection is still stuck.
        }

        return string.Create(CultureInfo.InvariantCulture, $"{left.Count} requests cut off");
    }

    private async Task<string> StopWorkersAsync()
    {
        long startedAt = _time.GetTimestamp();
        TimeSpan serverBound = _options.StopWorkers / 2 > ServerStopBound ? _options.StopWorkers / 2 : ServerStopBound;
        using (var bound = new CancellationTokenSource(serverBound, _time))
        {
            try
            {
                // Closes the connections left open (idle keep-alive ones, or ones cut off above).
                await _server.StopAsync(bound.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // Bounded on purpose; the connections are aborted.
            }
        }

        TimeSpan workersBudget = _options.StopWorkers - _time.GetElapsedTime(startedAt);
        await _runtime.StopAsync(workersBudget > ServerStopBound ? workersBudget : ServerStopBound);
        return _runtime.WhenTerminated.IsCompleted ? "actor system terminated" : "actor system did not terminate in time";
    }

    private async Task<string> WaitForRequestsAsync(TimeSpan bound, CancellationToken skip)
    {
        try
        {
            await _inFlight.WhenEmptyAsync().WaitAsync(bound, _time, skip);
            return "every request finished";
        }
        catch (TimeoutException)
        {
            return "time is up";
        }
        catch (OperationCanceledException) when (skip.IsCancellationRequested)
        {
            return "skipped by a repeated signal";
        }
    }
}
