namespace ActorHost.Actors;

/// <summary>The kind of mailbox an actor gets (see <see cref="Props.WithMailbox"/>).</summary>
public sealed class MailboxOptions
{
    private MailboxOptions(int? capacity, MailboxOverflow overflow)
    {
        Capacity = capacity;
        Overflow = overflow;
    }

    /// <summary>An unbounded mailbox (the default).</summary>
    public static MailboxOptions Unbounded { get; } = new(null, MailboxOverflow.Reject);

    /// <summary>Maximum number of queued user messages; <see langword="null"/> = unbounded.</summary>
    public int? Capacity { get; }

    /// <summary>What happens when a bounded mailbox is full.</summary>
    public MailboxOverflow Overflow { get; }

    /// <summary>A bounded mailbox holding at most <paramref name="capacity"/> user messages (system messages are never bounded).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public static MailboxOptions Bounded(int capacity, MailboxOverflow overflow = MailboxOverflow.Reject)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (!Enum.IsDefined(overflow))
        {
            throw new ArgumentOutOfRangeException(nameof(overflow), overflow, "Unknown overflow behaviour.");
        }

        return new MailboxOptions(capacity, overflow);
    }

    /// <inheritdoc />
    public override string ToString() => Capacity is { } c ? $"bounded({c}, {Overflow})" : "unbounded";
}
