namespace ActorHost.Actors;

/// <summary>Maps a child's failure to a <see cref="Directive"/>.</summary>
public interface IDecider
{
    /// <summary>Decides what to do about <paramref name="cause"/>. Must not throw (a throwing decider escalates).</summary>
    Directive Decide(Exception cause);
}
