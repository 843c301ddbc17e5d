namespace ActorHost.Actors;

/// <summary>The last failure of an actor, as recorded by its supervisor.</summary>
/// <param name="ExceptionType">Full name of the exception type.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Time">When the supervisor decided.</param>
/// <param name="Directive">What it decided.</param>
public sealed record FailureSnapshot(string ExceptionType, string Message, DateTimeOffset Time, Directive Directive);
