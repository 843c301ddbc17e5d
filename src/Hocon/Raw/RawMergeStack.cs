namespace ActorHost.Hocon.Raw;

/// <summary>
/// Successive definitions of one field that cannot be merged before resolution because one of them is a
/// substitution or a concatenation (<c>a = {x:1}</c> then <c>a = ${b}</c>, or <c>path = ${path} [x]</c>).
/// Layers are oldest first. While a layer is resolved, the field it belongs to reads as the layers
/// below it (<see cref="Below"/>): that is how a self-reference sees the previous value.
/// </summary>
internal sealed class RawMergeStack : RawNode
{
    private readonly RawMergeStack?[]? _below;

    public RawMergeStack(HoconOrigin origin, RawNode[] layers)
        : base(origin)
    {
        Layers = layers;
        Count = layers.Length;
        Owner = this;
        _below = new RawMergeStack?[layers.Length];
    }

    private RawMergeStack(RawMergeStack owner, int count)
        : base(owner.Layers[count - 1].Origin)
    {
        Layers = owner.Layers;
        Count = count;
        Owner = owner;
    }

    /// <summary>All layers of the owning stack, oldest first; only the first <see cref="Count"/> are visible here.</summary>
    public RawNode[] Layers { get; }

    /// <summary>How many layers (from the oldest) this node stands for.</summary>
    public int Count { get; }

    /// <summary>The stack as it stands in the tree; partial views share its layers.</summary>
    public RawMergeStack Owner { get; }

    public override bool IsUnmergeable => true;

    /// <summary>A stack whose oldest layer ignores fallbacks ignores them as a whole: nothing below it counts.</summary>
    public override bool IgnoresFallbacks => Layers[0].IgnoresFallbacks;

    /// <summary>The stack of the layers below <paramref name="count"/> (null when there are none).</summary>
    public RawMergeStack? Below(int count)
    {
        if (count <= 0)
        {
            return null;
        }

        if (count == Owner.Count)
        {
            return Owner;
        }

        var cache = Owner._below!;
        return cache[count] ??= new RawMergeStack(Owner, count);
    }
}
