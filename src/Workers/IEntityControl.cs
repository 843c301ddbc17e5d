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
}
