using System.Collections;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>An immutable list of values.</summary>
internal sealed class HoconArray : HoconValue, IReadOnlyList<HoconValue>
{
    private readonly HoconValue[] _items;

    /// <summary>Creates an array.</summary>
    /// <param name="items">The elements, in order.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin? origin = null)
        : this(CopyOf(items), origin ?? HoconOrigin.Code)
    {
    }

    /// <summary>Takes over <paramref name="items"/> without copying; the caller must not change it afterwards.</summary>
    internal HoconArray(HoconValue[] items, HoconOrigin origin)
        : base(origin)
    {
        _items = items;
        var depth = 0;
        long size = 1;
        foreach (var item in items)
        {
            depth = Math.Max(depth, item.Depth);
            size = SaturatingAdd(size, item.ExpandedSize);
        }

        Depth = depth + 1;
        ExpandedSize = size;
    }

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Array;

    internal override int Depth { get; }

    internal override long ExpandedSize { get; }

    internal static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public HoconValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<HoconValue> GetEnumerator() => ((IEnumerable<HoconValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(HoconValue? other)
    {
        if (other is not HoconArray a || a.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(a._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Count);
        foreach (var item in _items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    internal override string Describe() => "list";

    private static HoconValue[] CopyOf(IEnumerable<HoconValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var copy = items.ToArray();
        foreach (var item in copy)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return copy;
    }
}
