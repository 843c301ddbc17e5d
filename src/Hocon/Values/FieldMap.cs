using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace ActorHost.Hocon;

/// <summary>
/// An insertion-ordered string-keyed map for object fields. Configuration objects are small, so it keeps
/// keys and values in two arrays and searches them linearly; only past <see cref="IndexThreshold"/> fields
/// does it build a hash index. This is several times cheaper to create than a dictionary, and both the
/// loader and the resolver create one per object. Lookups compare keys with string equality, which is
/// cheaper than hashing for the handful of keys most objects have.
/// </summary>
internal sealed class FieldMap<TValue> : IEnumerable<KeyValuePair<string, TValue>>
{
    private const int IndexThreshold = 16;

    private string[] _keys;
    private TValue[] _values;
    private Dictionary<string, int>? _index;

    // True when _keys and _index belong to another map too (see WithKeysOf): copied before this map adds a key.
    private bool _keysShared;

    public FieldMap(int capacity = 4)
    {
        capacity = Math.Max(capacity, 1);
        _keys = new string[capacity];
        _values = new TValue[capacity];
    }

    private FieldMap(string[] keys, Dictionary<string, int>? index, TValue[] values, int count)
    {
        _keys = keys;
        _index = index;
        _values = values;
        Count = count;
        _keysShared = true;
    }

    /// <summary>
    /// A map with the same keys as <paramref name="source"/>, in the same order, and <paramref name="values"/>
    /// (one per key). The key array and index are shared, not copied: resolving an object whose fields all
    /// have values costs one value array. Keys are only ever appended, so neither map sees the other's additions.
    /// </summary>
    public static FieldMap<TValue> WithKeysOf<TOther>(FieldMap<TOther> source, TValue[] values)
    {
        Debug.Assert(values.Length >= source.Count, "one value per key");
        return new FieldMap<TValue>(source._keys, source._index, values, source.Count);
    }

    /// <summary>The key at a position, in insertion order.</summary>
    public string KeyAt(int index) => _keys[index];

    public int Count { get; private set; }

    public IEnumerable<string> Keys => _keys.Take(Count);

    public IEnumerable<TValue> Values => _values.Take(Count);

    /// <summary>The values in insertion order, without an enumerator (for hot loops).</summary>
    public ReadOnlySpan<TValue> ValueSpan => _values.AsSpan(0, Count);

    public TValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no field '{key}'");
        set
        {
            var i = IndexOf(key);
            if (i >= 0)
            {
                _values[i] = value;
            }
            else
            {
                Append(key, value);
            }
        }
    }

    /// <summary>The value at a position <see cref="IndexOf"/> returned.</summary>
    public TValue ValueAt(int index) => _values[index];

    /// <summary>Replaces the value at a position <see cref="IndexOf"/> returned.</summary>
    public void SetValueAt(int index, TValue value) => _values[index] = value;

    public FieldMap<TValue> Copy()
    {
        var copy = new FieldMap<TValue>(Count);
        Array.Copy(_keys, copy._keys, Count);
        Array.Copy(_values, copy._values, Count);
        copy.Count = Count;
        if (_index is not null)
        {
            copy._index = new Dictionary<string, int>(_index.Where(e => e.Value < Count));
        }

        return copy;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            value = _values[i];
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Appends a field the caller knows is not there yet (its keys come from another map): skips the
    /// search, which would make copying an object quadratic in its size.
    /// </summary>
    public void AddNew(string key, TValue value)
    {
        Debug.Assert(IndexOf(key) < 0, "AddNew with a key that is already present");
        Append(key, value);
    }

    public bool TryAdd(string key, TValue value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The position of <paramref name="key"/>, or -1.</summary>
    public int IndexOf(string key)
    {
        if (_index is not null)
        {
            // A shared index may also know keys another map added after this one's (positions >= Count).
            return _index.TryGetValue(key, out var i) && i < Count ? i : -1;
        }

        var keys = _keys;
        for (var i = 0; i < Count; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(string key, TValue value)
    {
        if (_keysShared)
        {
            _keys = _keys.AsSpan(0, Count).ToArray();
            _index = _index is null ? null : new Dictionary<string, int>(_index.Where(e => e.Value < Count));
            _values = _values.AsSpan(0, Count).ToArray();
            _keysShared = false;
        }

        if (Count == _keys.Length)
        {
            var size = Math.Max(Count * 2, 4);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }

        _keys[Count] = key;
        _values[Count] = value;
        if (_index is not null)
        {
            _index[key] = Count;
        }
        else if (Count + 1 > IndexThreshold)
        {
            _index = new Dictionary<string, int>(Count * 2);
            for (var i = 0; i <= Count; i++)
            {
                _index[_keys[i]] = i;
            }
        }

        Count++;
    }

    /// <summary>Allocation-free enumeration in insertion order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, TValue>>
    {
        private readonly FieldMap<TValue> _map;
        private int _position;

        internal Enumerator(FieldMap<TValue> map)
        {
            _map = map;
            _position = -1;
        }

        public readonly KeyValuePair<string, TValue> Current => new(_map._keys[_position], _map._values[_position]);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_position < _map.Count;

        public void Reset() => _position = -1;

        public readonly void Dispose()
        {
        }
    }
}
