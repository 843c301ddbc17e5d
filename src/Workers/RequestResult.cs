namespace ActorHost.Workers;

/// <summary>
/// How a request ended, as decided by whoever learned it first (the worker, the timeout, the client,
/// shutdown or supervision). The status on the wire comes from the <see cref="ResponseChannel"/>.
/// </summary>
/// <param name="Outcome">The outcome word.</param>
/// <param name="Error">The handler's exception for failures, or the cause for cancellations; null when ok.</param>
public sealed record RequestResult(RequestOutcome Outcome, Exception? Error = null)
{
    /// <summary>A successful result.</summary>
    public static RequestResult Ok { get; } = new(RequestOutcome.Ok);
}
