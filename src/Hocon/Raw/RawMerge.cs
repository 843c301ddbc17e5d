namespace ActorHost.Hocon.Raw;

/// <summary>
/// HOCON's merge rule on unresolved nodes: a newer object merges with an older object, a newer non-object
/// replaces whatever was there, and anything whose type depends on resolution is stacked for later.
/// </summary>
internal static class RawMerge
{
    /// <summary>Merges <paramref name="newer"/> over <paramref name="older"/>.</summary>
    /// <param name="older">The earlier definition.</param>
    /// <param name="newer">The later definition.</param>
    /// <param name="inPlace">True while loading one document (objects may be changed); false when layering documents.</param>
    public static RawNode Merge(RawNode older, RawNode newer, bool inPlace)
    {
        HoconLimits.EnsureStack(newer.Origin);
        switch (newer)
        {
            case RawObject newObject:
                return MergeObjectOver(older, newObject, inPlace);
            case RawResolved { Value: HoconObject resolved }:
                return MergeObjectOver(older, RawObject.FromResolved(resolved), inPlace);
            case RawMergeStack { IgnoresFallbacks: true }:
                return newer;
            case RawMergeStack stack:
                return Stack(older, stack.Layers.AsSpan(0, stack.Count), newer.Origin);
            default:
                if (newer.IsUnmergeable)
                {
                    return Stack(older, [newer], newer.Origin);
                }

                // A literal, an array or null replaces everything before it.
                return newer;
        }
    }

    /// <summary>Fields of <paramref name="newer"/> win; fields present in both merge with <see cref="Merge"/>.</summary>
    public static RawObject MergeObjects(RawObject older, RawObject newer, bool inPlace)
    {
        if (newer.IgnoresFallbacks)
        {
            return newer;
        }

        var target = inPlace ? older : older.ShallowCopy();
        foreach (var (key, value) in newer.Fields)
        {
            var i = target.Fields.IndexOf(key);
            if (i >= 0)
            {
                target.Fields.SetValueAt(i, Merge(target.Fields.ValueAt(i), value, inPlace));
            }
            else
            {
                target.Fields.AddNew(key, value);
            }
        }

        target.SetOrigin(ValueMerge.MergedOrigin(newer.Origin, older.Origin));
        return target;
    }

    private static RawNode MergeObjectOver(RawNode older, RawObject newer, bool inPlace)
    {
        if (newer.IgnoresFallbacks)
        {
            // It replaced a non-object in its own layer: what an older layer defined stays hidden.
            return newer;
        }

        switch (older)
        {
            case RawObject olderObject:
                return MergeObjects(olderObject, newer, inPlace);
            case RawResolved { Value: HoconObject resolved }:
                return MergeObjects(RawObject.FromResolved(resolved), newer, inPlace: true);
            case RawMergeStack stack when AsObject(stack.Layers[stack.Count - 1]) is { } top:
                // Two adjacent objects merge directly, so fields keep real stacks of their own.
                var layers = stack.Layers[..stack.Count];
                layers[^1] = MergeObjects(top, newer, inPlace && top == stack.Layers[stack.Count - 1]);
                return new RawMergeStack(newer.Origin, layers);
            default:
                if (older.IsUnmergeable)
                {
                    return Stack(older, [newer], newer.Origin);
                }

                // An object replaces a literal, an array or null (null is how a merge is blocked). It is
                // marked so that the block also holds against layers added under this one later
                // (WithFallback), as if they had come earlier in the same file.
                return newer.IgnoringFallbacks(inPlace);
        }
    }

    private static RawObject? AsObject(RawNode node) => node switch
    {
        RawObject o => o,
        RawResolved { Value: HoconObject resolved } => RawObject.FromResolved(resolved),
        _ => null,
    };

    private static RawMergeStack Stack(RawNode older, ReadOnlySpan<RawNode> newerLayers, HoconOrigin origin)
    {
        RawNode[] layers;
        if (older is RawMergeStack olderStack)
        {
            layers = [.. olderStack.Layers.AsSpan(0, olderStack.Count), .. newerLayers];
        }
        else
        {
            layers = [older, .. newerLayers];
        }

        return new RawMergeStack(origin, layers);
    }
}
