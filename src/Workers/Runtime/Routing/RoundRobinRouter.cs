namespace ActorHost.Workers.Runtime.Routing;

/// <summary>Each worker in turn.</summary>
internal sealed class RoundRobinRouter : IRouter
{
    private uint _next;

    public WorkerSlot Select(WorkerSlot[] slots, RequestEnvelope envelope)
    {
        uint n = Interlocked.Increment(ref _next);
        return slots[(int)(n % (uint)slots.Length)];
    }
}
