namespace ActorHost.Workers;

/// <summary>
/// A request worker: the class a user writes to serve a route. One instance is one incarnation of a
/// supervised worker actor, so it may keep state in plain fields — the runtime never runs two requests on
/// the same instance at once, and a restart builds a fresh instance (through DI) with fresh fields.
/// </summary>
/// <remarks>
/// <para>Throw to fail: the route's supervision strategy decides (restart, resume, stop, escalate). Throw
/// <see cref="ClientInputException"/> to reject bad input (4xx, never a failure). Let the
/// <see cref="OperationCanceledException"/> of the request token propagate when it fires.</para>
/// <para>Implement <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/> to release resources; the
/// runtime disposes the instance after <see cref="OnStopped"/>, when its incarnation ends.</para>
/// </remarks>
public abstract class RequestWorker
{
    private WorkerContext? _context;

    /// <summary>
    /// This incarnation's context (route, actor path, entity key, incarnation, shutdown token). Set by the
    /// runtime right after construction; to use it in the constructor, take a <see cref="WorkerContext"/>
    /// constructor parameter instead. Using it after the incarnation ended throws
    /// <see cref="ActorHost.Actors.StaleIncarnationException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before the runtime attached the context (e.g. in the constructor).</exception>
    protected WorkerContext Context => _context ?? throw new InvalidOperationException(
        "The worker context is attached after construction; take a WorkerContext constructor parameter to use it in the constructor.");

    /// <summary>Serves one request. The response ends cleanly when the returned task completes.</summary>
    /// <param name="request">What the client sent.</param>
    /// <param name="response">The response to write (status and headers until the first write, then the body).</param>
    /// <param name="cancellationToken">
    /// Fires on timeout, peer reset, the end of shutdown grace and (in <c>cancel-on-disconnect</c> mode) client
    /// disconnect. Pass it to every await.
    /// </param>
    public abstract Task HandleAsync(WorkerRequest request, WorkerResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the incarnation starts, before its first request (Akka's PreStart). A throw is an
    /// initialization failure of the worker.
    /// </summary>
    protected virtual void OnStarted()
    {
    }

    /// <summary>
    /// Called once when the incarnation ends: on stop (directive, passivation, shutdown) and before a restart
    /// replaces it (Akka's PostStop). Flush and release what the instance holds here. A throw is reported,
    /// not supervised; disposal still runs.
    /// </summary>
    protected virtual void OnStopped()
    {
    }

    internal void Attach(WorkerContext context) => _context = context;

    internal void InvokeStarted() => OnStarted();

    internal void InvokeStopped() => OnStopped();
}
