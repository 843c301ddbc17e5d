namespace ActorHost.Gateway.Shutdown;

/// <summary>
/// The first shutdown phase when the cluster is on: the node leaves (hands its shards to their new owners)
/// while it still serves, so no request is lost and no entity is served by two nodes.
/// </summary>
internal interface IClusterLeave
{
    /// <summary>Leaves the cluster within <paramref name="timeout"/>; returns how the phase ended, for the log.</summary>
    /// <param name="timeout">The <c>shutdown.leave</c> budget.</param>
    /// <param name="skip">Fires on a repeated signal: cut the leave short.</param>
    Task<string> LeaveAsync(TimeSpan timeout, CancellationToken skip);
}
