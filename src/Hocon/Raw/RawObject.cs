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

    public void SetOrigin(HoconOrigin origin) => Origin = origin;

    public RawObject ShallowCopy() => new(Origin, Fields.Copy());

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
