namespace ActorHost.Actors;

/// <summary>
/// A message could not be delivered: its recipient was stopped (including messages still queued when it stopped)
/// or it was sent to <see cref="ActorSystem.DeadLetters"/>. Every dead letter is published; an Ask among them
/// fails at once.
/// </summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender, if any.</param>
/// <param name="Recipient">The intended recipient.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient) : ActorEvent(Recipient.Path);
