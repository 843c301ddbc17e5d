namespace ActorHost.Hocon.Raw;

/// <summary>
/// An object under construction or awaiting resolution. The loader changes it in place while building a
/// document (every node it touches is its own); layering two documents copies instead (see <see cref="RawMerge"/>).
/// </summary>
internal sealed class RawObject : RawNode
{
    public RawObject(HoconOrigin origin, FieldMap<RawNode>? fields = null)
        : base(origin)
    {
        Fields = fields ?? new FieldMap<RawNode>();
    }

    public FieldMap<RawNode> Fields { get; }

    /// <summary>
    /// True when this object replaced a non-object (<c>a = null</c> then <c>a { ... }</c>): it has already
    /// hidden everything defined before it, so a fallback layered under it later must stay hidden too.
    /// Objects merged over it keep the mark (they still sit on the block).
    /// </summary>
    public override bool IgnoresFallbacks => _ignoresFallbacks;

    private bool _ignoresFallbacks;

    public void SetOrigin(HoconOrigin origin) => Origin = origin;

    public RawObject ShallowCopy() => new(Origin, Fields.Copy()) { _ignoresFallbacks = _ignoresFallbacks };

    /// <summary>This object marked as ignoring fallbacks: itself when it may be changed, otherwise a copy.</summary>
    public RawObject IgnoringFallbacks(bool inPlace)
    {
        var target = inPlace ? this : ShallowCopy();
        target._ignoresFallbacks = true;
        return target;
    }

    /// <summary>A view of a resolved object as a raw one, so it can be merged with unresolved layers.</summary>
    public static RawObject FromResolved(HoconObject resolved)
    {
        var fields = new FieldMap<RawNode>(resolved.Count);
        foreach (var (key, value) in resolved.Fields)
        {
            fields.AddNew(key, new RawResolved(value));
        }

        return new RawObject(resolved.Origin, fields);
    }
}
