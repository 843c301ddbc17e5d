using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorHost.Hocon;

/// <summary>An immutable object: fields in the order they were first defined.</summary>
[SuppressMessage("Naming", "CA1710", Justification = "HOCON's own vocabulary: an object, not a dictionary type.")]
public sealed class HoconObject : HoconValue, IReadOnlyDictionary<string, HoconValue>
{
    private readonly FieldMap<HoconValue> _fields;

    /// <summary>Creates an object.</summary>
    /// <param name="fields">The fields, in order; a repeated key keeps the last value.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconOrigin? origin = null)
        : this(CopyOf(fields), origin ?? HoconOrigin.Code)
    {
    }

    /// <summary>Takes over <paramref name="fields"/> without copying; the caller must not change it afterwards.</summary>
    internal HoconObject(FieldMap<HoconValue> fields, HoconOrigin origin)
        : base(origin)
    {
        _fields = fields;
        var depth = 0;
        long size = 1;
        foreach (var value in fields.ValueSpan)
        {
            depth = Math.Max(depth, value.Depth);
            size = HoconArray.SaturatingAdd(size, value.ExpandedSize);
        }

        Depth = depth + 1;
        ExpandedSize = size;
    }

    /// <summary>The fields themselves, for allocation-free enumeration inside the library.</summary>
    internal FieldMap<HoconValue> Fields => _fields;

    /// <summary>An empty object.</summary>
    public static HoconObject Empty { get; } = new([], HoconOrigin.Code);

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Object;

    internal override int Depth { get; }

    internal override long ExpandedSize { get; }

    /// <inheritdoc />
    public int Count => _fields.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _fields.Keys;

    /// <inheritdoc />
    public IEnumerable<HoconValue> Values => _fields.Values;

    /// <inheritdoc />
    public HoconValue this[string key] => _fields[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _fields.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, HoconValue>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Merges this object over <paramref name="fallback"/> with HOCON's rule: keys of this object win,
    /// except that two object values are merged recursively.
    /// </summary>
    /// <param name="fallback">The lower-priority object.</param>
    public HoconObject WithFallback(HoconObject fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return ValueMerge.MergeObjects(this, fallback);
    }

    /// <inheritdoc />
    public override bool Equals(HoconValue? other)
    {
        if (other is not HoconObject o || o.Count != Count)
        {
            return false;
        }

        foreach (var (key, value) in _fields)
        {
            if (!o._fields.TryGetValue(key, out var theirs) || !value.Equals(theirs))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent, like the equality.
        var hash = Count;
        foreach (var (key, value) in _fields)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value.GetHashCode());
        }

        return hash;
    }

    internal override string Describe() => "object";

    private static FieldMap<HoconValue> CopyOf(IEnumerable<KeyValuePair<string, HoconValue>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var copy = new FieldMap<HoconValue>();
        foreach (var (key, value) in fields)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(fields));
            ArgumentNullException.ThrowIfNull(value, nameof(fields));
            copy[key] = value;
        }

        return copy;
    }
}
