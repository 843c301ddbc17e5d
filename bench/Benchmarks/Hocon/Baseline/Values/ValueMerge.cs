namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>HOCON's merge rule on resolved values: the newer value wins unless both are objects.</summary>
internal static class ValueMerge
{
    /// <summary>Merges <paramref name="newer"/> over <paramref name="older"/>.</summary>
    public static HoconValue Merge(HoconValue newer, HoconValue older) =>
        newer is HoconObject n && older is HoconObject o ? MergeObjects(n, o) : newer;

    /// <summary>
    /// The origin of a merged object: within one file its first definition (so a missing key is reported
    /// where the object starts); across files the newer layer, which is the one the user wrote.
    /// </summary>
    public static HoconOrigin MergedOrigin(HoconOrigin newer, HoconOrigin older) =>
        string.Equals(newer.Source, older.Source, StringComparison.Ordinal) ? older : newer;

    /// <summary>Fields of <paramref name="newer"/> win; object-valued fields present in both merge recursively.</summary>
    public static HoconObject MergeObjects(HoconObject newer, HoconObject older)
    {
        if (older.Count == 0)
        {
            return newer;
        }

        if (newer.Count == 0)
        {
            return older;
        }

        var fields = new FieldMap<HoconValue>(older.Count + newer.Count);
        foreach (var (key, value) in older)
        {
            fields[key] = value;
        }

        foreach (var (key, value) in newer)
        {
            fields[key] = fields.TryGetValue(key, out var existing) ? Merge(value, existing) : value;
        }

        return new HoconObject(fields, MergedOrigin(newer.Origin, older.Origin));
    }
}
