namespace ActorHost.Actors;

/// <summary>
/// An ordinary (user) message that makes the actor fail with <see cref="ActorKilledException"/> when processed;
/// the default decider then stops it.
/// </summary>
public sealed class Kill
{
    private Kill()
    {
    }

    /// <summary>The single instance.</summary>
    public static Kill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "Kill";
}
