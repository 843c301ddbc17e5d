namespace ActorHost.Workers;

/// <summary>
/// Control over the entity workers of a runtime, by key. The cluster uses it to stop the entities of shards
/// the node stops serving (hand-off, lost lease, self-fencing) so that their stop hooks run before another
/// node starts serving the same keys.
/// </summary>
public interface IEntityControl
{
    /// <summary>
    /// Stops every live entity worker (of every entity route) whose key matches, after the requests already
    /// in its mailbox; completes when all of them have stopped and their stop hooks have run. Requests for those
    /// keys dispatched after the call wait and are served by new incarnations.
    /// </summary>
    /// <param name="keyMatches">Selects entity keys.</param>
    /// <param name="cancellationToken">Stops waiting (the entities still stop).</param>
    Task StopEntitiesAsync(Func<string, bool> keyMatches, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the matching entities as <see cref="StopEntitiesAsync(Func{string, bool}, CancellationToken)"/> does,
    /// but with notice, as the graceful shutdown treats running handlers: each entity's
    /// <see cref="WorkerContext.ShutdownToken"/> fires at once (an endless response ends cleanly), and a request
    /// still running <paramref name="cancelAfter"/> later has its token cancelled (outcome
    /// <see cref="RequestOutcome.ShutdownAborted"/>). Completes when all of them have stopped.
    /// </summary>
    /// <param name="keyMatches">Selects entity keys.</param>
    /// <param name="cancelAfter">How long running handlers may take to end after the notice before they are cancelled.</param>
    /// <param name="cancellationToken">Stops waiting (the entities still stop).</param>
    Task StopEntitiesWithNoticeAsync(Func<string, bool> keyMatches, TimeSpan cancelAfter, CancellationToken cancellationToken);
}
