namespace ActorHost.Workers.Runtime.Routing;

/// <summary>
/// The worker with the fewest requests queued or running. The scan starts at a rotating offset so that ties
/// (typically: everyone idle) spread over the pool instead of piling onto the first worker.
/// </summary>
internal sealed class LeastBusyRouter : IRouter
{
    private uint _start;

    public WorkerSlot Select(WorkerSlot[] slots, RequestEnvelope envelope)
    {
        int count = slots.Length;
        int offset = (int)(Interlocked.Increment(ref _start) % (uint)count);
        WorkerSlot best = slots[offset];
        int bestBusy = best.Busy;
        for (int i = 1; i < count && bestBusy > 0; i++)
        {
            WorkerSlot candidate = slots[(offset + i) % count];
            int busy = candidate.Busy;
            if (busy < bestBusy)
            {
                best = candidate;
                bestBusy = busy;
            }
        }

        return best;
    }
}
