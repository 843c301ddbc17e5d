namespace ActorHost.Workers;

/// <summary>
/// A concurrent set of short-lived members, each of which remembers the slot it was given: per-request registries
/// (requests in flight) add and remove a member for every request and only rarely list them.
/// </summary>
/// <remarks>
/// The set is split into stripes, one per processor up to 64, each a table under its own lock; a member goes into the
/// stripe of the processor that adds it, and its slot number says which stripe that was. Adding or removing takes one
/// short lock and, once the stripe's table has grown to the most members it held at once, allocates nothing and
/// hashes nothing, where a concurrent dictionary allocates a node per entry and hashes its key. Freed slots are reused
/// last-freed first, so the slots in use stay few and close together. Tables never shrink.
/// </remarks>
/// <typeparam name="T">The member type (compared by reference).</typeparam>
public sealed class SlotRegistry<T>
    where T : class
{
    private const int MaxStripeBits = 6;

    private readonly Stripe[] _stripes;
    private readonly int _stripeBits;

    /// <summary>Creates an empty registry with one stripe per processor (up to 64).</summary>
    public SlotRegistry()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Creates an empty registry with at least <paramref name="stripes"/> stripes (a power of two, up to 64).</summary>
    /// <param name="stripes">How many processors are expected to add members at once.</param>
    public SlotRegistry(int stripes)
    {
        _stripeBits = 0;
        while (_stripeBits < MaxStripeBits && (1 << _stripeBits) < stripes)
        {
            _stripeBits++;
        }

        _stripes = new Stripe[1 << _stripeBits];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    /// <summary>The number of members, each stripe read under its lock.</summary>
    /// <remarks>
    /// Exact when nothing is added meanwhile. A removal that leaves its stripe empty and then reads this sees every
    /// other removal that finished before it, so of two last removals racing at least one reads zero.
    /// </remarks>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (Stripe stripe in _stripes)
            {
                lock (stripe.Gate)
                {
                    count += stripe.Count;
                }
            }

            return count;
        }
    }

    /// <summary>Adds a member and returns its slot, which the member keeps to be removed with.</summary>
    /// <param name="member">The member; adding the same one twice gives it two slots.</param>
    public int Add(T member)
    {
        ArgumentNullException.ThrowIfNull(member);
        int stripeIndex = Thread.GetCurrentProcessorId() & (_stripes.Length - 1);
        return (_stripes[stripeIndex].Add(member) << _stripeBits) | stripeIndex;
    }

    /// <summary>
    /// Removes the member from its slot. Returns the number of members left in the slot's stripe (0: read
    /// <see cref="Count"/> to learn whether the whole registry is empty), or -1 when the slot does not hold that
    /// member (already removed).
    /// </summary>
    /// <param name="slot">The slot <see cref="Add"/> returned.</param>
    /// <param name="member">The member in it.</param>
    public int Remove(int slot, T member) =>
        slot < 0 ? -1 : _stripes[slot & (_stripes.Length - 1)].Remove(slot >> _stripeBits, member);

    /// <summary>The members at this moment.</summary>
    public T[] Snapshot()
    {
        var members = new List<T>();
        foreach (Stripe stripe in _stripes)
        {
            stripe.CopyTo(members);
        }

        return [.. members];
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        private T?[] _slots = new T?[16];

        // Freed slot numbers, last freed on top; never longer than the table.
        private int[] _free = new int[16];
        private int _freeCount;

        // Slots ever handed out: the part of the table in use or on the free stack.
        private int _used;

        public int Count;

        public int Add(T member)
        {
            lock (Gate)
            {
                int slot;
                if (_freeCount > 0)
                {
                    slot = _free[--_freeCount];
                }
                else
                {
                    if (_used == _slots.Length)
                    {
                        Array.Resize(ref _slots, _slots.Length * 2);
                        Array.Resize(ref _free, _slots.Length);
                    }

                    slot = _used++;
                }

                _slots[slot] = member;
                Count++;
                return slot;
            }
        }

        public int Remove(int slot, T member)
        {
            lock (Gate)
            {
                if ((uint)slot >= (uint)_used || !ReferenceEquals(_slots[slot], member))
                {
                    return -1;
                }

                _slots[slot] = null;
                _free[_freeCount++] = slot;
                return --Count;
            }
        }

        public void CopyTo(List<T> members)
        {
            lock (Gate)
            {
                for (int i = 0; i < _used; i++)
                {
                    if (_slots[i] is { } member)
                    {
                        members.Add(member);
                    }
                }
            }
        }
    }
}
