namespace ActorHost.Workers.Runtime.Routing;

/// <summary>Picks the pool worker for a request. Called concurrently from request threads; must not block.</summary>
internal interface IRouter
{
    /// <summary>Picks one of <paramref name="slots"/> (never empty).</summary>
    WorkerSlot Select(WorkerSlot[] slots, RequestEnvelope envelope);
}
