namespace ActorHost.Actors;

/// <summary>
/// Builds a fresh actor instance for every incarnation of the actors created with
/// <see cref="Props.Create{TActor}(IActorProducer{TActor})"/>. An object that already exists per actor (a runtime's
/// record of it) can be its own producer, so creating the actor allocates no closure and no delegate for its factory.
/// </summary>
/// <typeparam name="TActor">The actor class.</typeparam>
public interface IActorProducer<out TActor>
    where TActor : ActorBase
{
    /// <summary>Returns a new instance; called by the actor system, once per incarnation.</summary>
    /// <returns>A new actor instance, never one returned before.</returns>
    TActor Produce();
}
