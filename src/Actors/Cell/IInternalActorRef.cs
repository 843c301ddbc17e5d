namespace ActorHost.Actors;

/// <summary>A reference that can take system messages (cells, and kernel-internal watchers).</summary>
internal interface IInternalActorRef : IActorRef
{
    void SendSystem(SystemMessage message);
}

/// <summary>A temporary reference completing an Ask; the kernel fails it when the asked message cannot be answered.</summary>
internal interface IAskPromise
{
    bool TryFail(Exception exception);
}
