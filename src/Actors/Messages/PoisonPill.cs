namespace ActorHost.Actors;

/// <summary>
/// An ordinary (user) message that stops the actor when it is processed: messages queued before it are processed
/// first, messages after it become dead letters.
/// </summary>
public sealed class PoisonPill
{
    private PoisonPill()
    {
    }

    /// <summary>The single instance.</summary>
    public static PoisonPill Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "PoisonPill";
}
