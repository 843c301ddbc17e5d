namespace ActorHost.Gateway.Management.Stats;

/// <summary>
/// Counts by outcome word, for one route's statistics. A route sees a handful of outcomes, and the words arrive as
/// the same string objects request after request, so a short array scanned from the front (a reference comparison
/// settles the usual hit) is cheaper per request than hashing the word into a dictionary. Not thread-safe: its
/// owner's lock guards it.
/// </summary>
internal sealed class OutcomeTally
{
    private string[] _outcomes = new string[4];
    private long[] _counts = new long[4];
    private int _used;

    /// <summary>The sum of all counts.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _used; i++)
            {
                total += _counts[i];
            }

            return total;
        }
    }

    public void Add(string outcome, long count = 1)
    {
        for (int i = 0; i < _used; i++)
        {
            if (string.Equals(_outcomes[i], outcome, StringComparison.Ordinal))
            {
                _counts[i] += count;
                return;
            }
        }

        if (_used == _outcomes.Length)
        {
            Array.Resize(ref _outcomes, _used * 2);
            Array.Resize(ref _counts, _used * 2);
        }

        _outcomes[_used] = outcome;
        _counts[_used] = count;
        _used++;
    }

    /// <summary>Adds every count of <paramref name="other"/>.</summary>
    public void AddAll(OutcomeTally other)
    {
        for (int i = 0; i < other._used; i++)
        {
            Add(other._outcomes[i], other._counts[i]);
        }
    }

    public void Clear()
    {
        Array.Clear(_outcomes, 0, _used);
        _used = 0;
    }

    /// <summary>The counts as a dictionary (a copy).</summary>
    public Dictionary<string, long> ToDictionary()
    {
        var counts = new Dictionary<string, long>(_used, StringComparer.Ordinal);
        for (int i = 0; i < _used; i++)
        {
            counts[_outcomes[i]] = _counts[i];
        }

        return counts;
    }
}
