namespace ActorHost.Actors;

/// <summary>Sent to an actor that set <see cref="IActorContext.SetReceiveTimeout"/> and received nothing for that long.</summary>
public sealed class ReceiveTimeout
{
    private ReceiveTimeout()
    {
    }

    /// <summary>The single instance.</summary>
    public static ReceiveTimeout Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "ReceiveTimeout";
}
