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
}
