namespace ActorHost.Actors;

/// <summary>
/// A supervisor decided about a child's failure. Published once per failure, by the supervisor, with the
/// directive actually applied (a Restart refused by the retry budget is reported as <see cref="Directive.Stop"/>,
/// together with <see cref="RetriesExhausted"/>).
/// </summary>
/// <param name="Path">The failed actor.</param>
/// <param name="Incarnation">The incarnation that failed.</param>
/// <param name="Exception">The original exception.</param>
/// <param name="Directive">The directive applied.</param>
/// <param name="MessageType">Type of the message being processed when it failed, if any.</param>
public sealed record ActorFailed(ActorPath Path, int Incarnation, Exception Exception, Directive Directive, Type? MessageType) : ActorEvent(Path);
