namespace ActorHost.Actors;

/// <summary>A child exceeded its supervisor's restart budget; it is stopped instead of restarted.</summary>
/// <param name="Path">The child.</param>
/// <param name="Incarnation">The incarnation that failed last.</param>
/// <param name="Exception">The failure that exceeded the budget.</param>
/// <param name="MaxNrOfRetries">The budget.</param>
/// <param name="WithinTimeRange">The window (<see langword="null"/> = infinite).</param>
public sealed record RetriesExhausted(ActorPath Path, int Incarnation, Exception Exception, int MaxNrOfRetries, TimeSpan? WithinTimeRange) : ActorEvent(Path);
