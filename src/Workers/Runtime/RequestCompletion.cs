using ActorHost.Actors;

namespace ActorHost.Workers.Runtime;

/// <summary>How the runtime ends requests that no handler will serve.</summary>
internal static class RequestCompletion
{
    public static void WorkerStopped(RequestEnvelope envelope, string reason) =>
        WorkerStopped(envelope, new ActorStoppedException(reason));

    public static void WorkerStopped(RequestEnvelope envelope, Exception cause)
    {
        envelope.TryComplete(new RequestResult(RequestOutcome.WorkerStopped, cause));
        envelope.MarkHandlerExited();
    }

    /// <summary>
    /// Refuses a request the worker's full mailbox would not take. The worker is named as the request's handler
    /// (its path and incarnation go on the request-finished line), though it never ran it: the operator must see
    /// which live worker is busy, not a stop that never happened.
    /// </summary>
    public static void Overloaded(RequestEnvelope envelope, HandlerIdentity worker, MailboxFullException cause)
    {
        envelope.Handler = worker;
        envelope.TryComplete(new RequestResult(RequestOutcome.Overloaded, cause));
        envelope.MarkHandlerExited();
    }
}
