using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorHost.Gateway.Requests;

/// <summary>
/// A request's route values, query or headers, copied for the worker (which may outlive the HTTP context) into one
/// array: keys compared without regard to case, looked up by a linear scan. A request carries a handful of each, and
/// for those a scan is cheaper than hashing every key into a dictionary, which would also cost three allocations
/// per copy on every request. Past <see cref="ScanLimit"/> entries (a long query string) an index keeps lookups and
/// copying linear, so a request cannot make the copy quadratic.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class RequestValueSnapshot<TValue> : IReadOnlyDictionary<string, TValue>
{
    private const int ScanLimit = 16;

    private KeyValuePair<string, TValue>[] _items;
    private Dictionary<string, int>? _index;
    private int _count;

    /// <summary>Creates an empty snapshot with room for <paramref name="capacity"/> entries (it grows if needed).</summary>
    public RequestValueSnapshot(int capacity) => _items = capacity > 0 ? new KeyValuePair<string, TValue>[capacity] : [];

    public int Count => _count;

    public IEnumerable<string> Keys => this.Select(static item => item.Key);

    public IEnumerable<TValue> Values => this.Select(static item => item.Value);

    public TValue this[string key] => TryGetValue(key, out TValue? value) ? value : throw new KeyNotFoundException($"The key \"{key}\" is not present.");

    /// <summary>Adds an entry; a key already present (in any case) gets the new value, as a dictionary's indexer would.</summary>
    public void Set(string key, TValue value)
    {
        int index = IndexOf(key);
        if (index >= 0)
        {
            _items[index] = new KeyValuePair<string, TValue>(_items[index].Key, value);
            return;
        }

        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
        }

        _items[_count] = new KeyValuePair<string, TValue>(key, value);
        if (_index is not null)
        {
            _index.Add(key, _count);
        }
        else if (_count + 1 > ScanLimit)
        {
            _index = new Dictionary<string, int>(_count * 2, StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i <= _count; i++)
            {
                _index.Add(_items[i].Key, i);
            }
        }

        _count++;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _items[index].Value;
        return true;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_index is not null)
        {
            return _index.TryGetValue(key, out int found) ? found : -1;
        }

        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
