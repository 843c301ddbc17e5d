namespace ActorHost.Actors;

/// <summary>
/// Delivered (as a user message) to an actor that watches <see cref="Actor"/> when that actor has stopped.
/// Not handling it fails the watcher with <see cref="DeathPactException"/> (Akka's death pact).
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
public sealed record Terminated(IActorRef Actor);
