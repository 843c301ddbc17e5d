namespace ActorHost.Actors;

/// <summary>A node of the user-message queue: one message and its sender.</summary>
internal sealed class Envelope
{
    public object? Message;
    public IActorRef? Sender;
    public Envelope? Next;

    public Envelope()
    {
    }

    public Envelope(object message, IActorRef? sender)
    {
        Message = message;
        Sender = sender;
    }
}
