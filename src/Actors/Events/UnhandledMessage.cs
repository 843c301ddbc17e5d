namespace ActorHost.Actors;

/// <summary>An actor received a message it has no handler for (an Ask with it fails at once).</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender, if any.</param>
/// <param name="Recipient">The actor.</param>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient) : ActorEvent(Recipient.Path);
