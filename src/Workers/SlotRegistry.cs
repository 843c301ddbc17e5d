namespace ActorHost.Workers;

/// <summary>
/// A concurrent set of short-lived members, each of which remembers the slot it was given: per-request registries
/// (requests in flight) add and remove a member for every request and only rarely list them.
/// </summary>
/// <remarks>
/// Adding or removing takes one short lock and, once the table has grown to the largest number of members seen at
/// once, allocates nothing and hashes nothing, where a concurrent dictionary allocates a node per entry and hashes
/// its key. Freed slots are reused last-freed first, so the slots in use stay few and close together. The table
/// never shrinks: it holds at most as many slots as there were members at the busiest moment.
/// </remarks>
/// <typeparam name="T">The member type (compared by reference).</typeparam>
public sealed class SlotRegistry<T>
    where T : class
{
    private readonly Lock _gate = new();
    private T?[] _slots = new T?[16];

    // Freed slot numbers, last freed on top; never longer than the table.
    private int[] _free = new int[16];
    private int _freeCount;

    // Slots ever handed out: the part of the table in use or on the free stack.
    private int _used;
    private int _count;

    /// <summary>The number of members, read under the lock (exact at the moment it is read).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Adds a member and returns its slot, which the member keeps to be removed with.</summary>
    /// <param name="member">The member; adding the same one twice gives it two slots.</param>
    public int Add(T member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
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
            _count++;
            return slot;
        }
    }

    /// <summary>
    /// Removes the member from its slot. Returns the number of members left, or -1 when the slot does not hold that
    /// member (already removed), so that a caller can act exactly once on the registry becoming empty.
    /// </summary>
    /// <param name="slot">The slot <see cref="Add"/> returned.</param>
    /// <param name="member">The member in it.</param>
    public int Remove(int slot, T member)
    {
        lock (_gate)
        {
            if ((uint)slot >= (uint)_used || !ReferenceEquals(_slots[slot], member))
            {
                return -1;
            }

            _slots[slot] = null;
            _free[_freeCount++] = slot;
            return --_count;
        }
    }

    /// <summary>The members at this moment.</summary>
    public T[] Snapshot()
    {
        lock (_gate)
        {
            var members = new T[_count];
            int next = 0;
            for (int i = 0; i < _used && next < members.Length; i++)
            {
                if (_slots[i] is { } member)
                {
                    members[next++] = member;
                }
            }

            return members;
        }
    }
}
