using System.Globalization;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// The spec's conversion of numerically indexed objects (<c>{ "0": a, "1": b }</c>, typical of properties
/// files) to lists: keys that are non-negative integers, sorted by value; other keys are ignored.
/// </summary>
internal static class NumericKeys
{
    public static HoconArray? ToList(HoconObject obj)
    {
        var indexed = new List<(long Index, HoconValue Value)>();
        foreach (var (key, value) in obj)
        {
            if (key.Length > 0 && char.IsAsciiDigit(key[0])
                && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indexed.Add((index, value));
            }
        }

        if (indexed.Count == 0)
        {
            return null;
        }

        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new HoconArray(indexed.Select(i => i.Value).ToArray(), obj.Origin);
    }
}
