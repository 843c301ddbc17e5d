using ActorHost.Workers;
using ActorHost.Workers.Options;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>A handler as the fake runtime runs it.</summary>
public delegate Task FakeHandler(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken);

/// <summary>
/// A stand-in for the worker runtime that runs each route's handler directly, mapping its end to a result
/// the way a worker does. It lets the host's own behaviour be tested in isolation: what it answers from
/// each channel state, what it logs, and how it reacts to the runtime's termination.
/// </summary>
public sealed class FakeWorkerRuntime : IWorkerRuntime
{
    private readonly Dictionary<string, FakeHandler> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouteOptions> _routes = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<RuntimeTermination> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, RouteOptions> Routes => _routes;

    public Task<RuntimeTermination> WhenTerminated => _terminated.Task;

    /// <summary>Envelopes reported stuck.</summary>
    public TaskCompletionSource<RequestEnvelope> Stuck { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Replaces the sink of each envelope (to simulate a transport failing).</summary>
    public Func<IResponseSink, IResponseSink>? WrapSink { get; set; }

    /// <summary>Makes <see cref="Dispatch"/> itself throw (a runtime bug).</summary>
    public Exception? DispatchFault { get; set; }

    /// <summary>Results a route answers without running a handler (e.g. worker stopped).</summary>
    public Dictionary<string, RequestResult> ImmediateResults { get; } = new(StringComparer.Ordinal);

    /// <summary>Called after a handler failure was recorded, before anything else happens (escalation tests).</summary>
    public Action<RequestEnvelope, Exception>? AfterFailure { get; set; }

    public bool Stopped { get; private set; }

    /// <summary>The pool routes the fake reports as having no live worker left.</summary>
    public IReadOnlyCollection<string> RoutesWithoutLiveWorkers { get; set; } = [];

    public FakeWorkerRuntime Route(RouteOptions route, FakeHandler handler)
    {
        _routes[route.Name] = route;
        _handlers[route.Name] = handler;
        return this;
    }

    public RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink) =>
        new(request, WrapSink is null ? sink : WrapSink(sink));

    public void Dispatch(RequestEnvelope envelope)
    {
        if (DispatchFault is not null)
        {
            throw DispatchFault;
        }

        if (ImmediateResults.TryGetValue(envelope.Request.Route, out RequestResult? immediate))
        {
            envelope.TryComplete(immediate);
            return;
        }

        _ = Task.Run(() => RunAsync(envelope, _handlers[envelope.Request.Route]));
    }

    public void ReportStuck(RequestEnvelope envelope) => Stuck.TrySetResult(envelope);

    public void Terminate(RuntimeTermination termination) => _terminated.TrySetResult(termination);

    public Task StopAsync(TimeSpan timeout)
    {
        Stopped = true;
        _terminated.TrySetResult(new RuntimeTermination(false, null));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task RunAsync(RequestEnvelope envelope, FakeHandler handler)
    {
        envelope.Handler = new HandlerIdentity("/user/routes/" + envelope.Request.Route + "/w1", 1);
        try
        {
            await handler(envelope.Request, new WorkerResponse(envelope.Response), envelope.HandlerToken);
            await envelope.Response.CompleteAsync();
            envelope.TryComplete(RequestResult.Ok);
        }
        catch (ClientInputException ex)
        {
            envelope.TryComplete(new RequestResult(RequestOutcome.ClientError, ex));
        }
        catch (OperationCanceledException ex) when (envelope.HandlerToken.IsCancellationRequested && envelope.CancellationCause is RequestOutcome cause)
        {
            envelope.TryComplete(new RequestResult(cause, ex));
        }
        catch (Exception ex)
        {
            envelope.TryComplete(new RequestResult(envelope.Response.HasStarted ? RequestOutcome.FailedAfterStart : RequestOutcome.HandlerFailed, ex));
            AfterFailure?.Invoke(envelope, ex);
        }
        finally
        {
            envelope.MarkHandlerExited();
        }
    }
}
