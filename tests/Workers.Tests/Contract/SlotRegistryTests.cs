namespace ActorHost.Workers.Tests.Contract;

public sealed class SlotRegistryTests
{
    [Fact]
    public void Members_are_listed_until_removed_and_a_freed_slot_is_given_again()
    {
        // One stripe, so that the slot numbers do not depend on which processor the test thread runs on.
        var registry = new SlotRegistry<object>(stripes: 1);
        object first = new(), second = new(), third = new();
        int firstSlot = registry.Add(first);
        int secondSlot = registry.Add(second);

        Assert.NotEqual(firstSlot, secondSlot);
        Assert.Equal(2, registry.Count);
        Assert.Equal(1, registry.Remove(firstSlot, first));
        Assert.Equal([second], registry.Snapshot());

        // The last freed slot is reused first, so the table stays as small as the busiest moment.
        Assert.Equal(firstSlot, registry.Add(third));
        Assert.Equal(2, registry.Snapshot().Length);
        Assert.Contains(third, registry.Snapshot());
    }

    [Fact]
    public void Removing_twice_or_with_the_wrong_member_removes_nothing()
    {
        var registry = new SlotRegistry<object>(stripes: 1);
        object member = new(), other = new();
        int slot = registry.Add(member);

        Assert.Equal(-1, registry.Remove(slot, other));
        Assert.Equal(-1, registry.Remove(slot + 1, member));
        Assert.Equal(0, registry.Remove(slot, member));
        Assert.Equal(-1, registry.Remove(slot, member));

        // The slot freed once is on the free list once: two new members get two different slots.
        Assert.NotEqual(registry.Add(new object()), registry.Add(new object()));
    }

    [Fact]
    public async Task Threads_adding_and_removing_at_once_leave_it_exactly_empty()
    {
        const int Threads = 4, PerThread = 20_000;
        var registry = new SlotRegistry<object>();
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(() =>
        {
            var mine = new (int Slot, object Member)[8];
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                // Up to eight members of this thread at once, so slots are freed and reused across threads.
                ref (int Slot, object Member) held = ref mine[i % mine.Length];
                if (held.Member is not null)
                {
                    Assert.True(registry.Remove(held.Slot, held.Member) >= 0, "a member added was not found in its slot");
                }

                var member = new object();
                held = (registry.Add(member), member);
            }

            foreach ((int slot, object member) in mine)
            {
                Assert.True(registry.Remove(slot, member) >= 0, "a member added was not found in its slot");
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, registry.Count);
        Assert.Empty(registry.Snapshot());

        // Every slot handed out is usable again: new members get distinct slots and each is found in its own.
        var members = Enumerable.Range(0, Threads * 8).Select(_ => new object()).ToArray();
        int[] slots = [.. members.Select(registry.Add)];
        Assert.Equal(slots.Length, slots.Distinct().Count());
        Assert.All(members.Zip(slots), pair => Assert.True(registry.Remove(pair.Second, pair.First) >= 0));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void A_slot_names_its_stripe_so_a_member_is_removed_from_the_stripe_it_was_added_to()
    {
        var registry = new SlotRegistry<object>(stripes: 4);
        var members = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();
        int[] slots = [.. members.Select(registry.Add)];

        // Another stripe's bits, or a negative slot, hold nothing: the member stays until its own slot is given.
        Assert.Equal(-1, registry.Remove(slots[0] ^ 1, members[0]));
        Assert.Equal(-1, registry.Remove(-1, members[0]));
        Assert.Equal(64, registry.Count);
        for (int i = 0; i < members.Length; i++)
        {
            Assert.True(registry.Remove(slots[i], members[i]) >= 0, $"member {i} was not in slot {slots[i]}");
        }

        Assert.Equal(0, registry.Count);
    }
}
