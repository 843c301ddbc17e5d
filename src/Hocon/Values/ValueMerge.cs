namespace ActorHost.Hocon;

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

        // Room for the older fields and a few new ones: most merges override more keys than they add.
        var fields = new FieldMap<HoconValue>(older.Count + Math.Min(newer.Count, 4));
        foreach (var (key, value) in older.Fields)
        {
            fields.AddNew(key, value);
        }

        foreach (var (key, value) in newer.Fields)
        {
            var i = fields.IndexOf(key);
            if (i >= 0)
            {
                fields.SetValueAt(i, Merge(value, fields.ValueAt(i)));
            }
            else
            {
                fields.AddNew(key, value);
            }
        }

        return new HoconObject(fields, MergedOrigin(newer.Origin, older.Origin));
    }
}
