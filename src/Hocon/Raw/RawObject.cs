namespace ActorHost.Hocon.Raw;

/// <summary>
/// An object under construction or awaiting resolution. The loader changes it in place while building a
/// document (every node it touches is its own); layering two documents copies instead (see <see cref="RawMerge"/>).
/// </summary>
internal sealed class RawObject : RawNode
{
    public RawObject(HoconOrigin origin, OrderedDictionary<string, RawNode>? fields = null)
        : base(origin)
    {
        Fields = fields ?? new OrderedDictionary<string, RawNode>(StringComparer.Ordinal);
    }

    public OrderedDictionary<string, RawNode> Fields { get; }

    public void SetOrigin(HoconOrigin origin) => Origin = origin;

    public RawObject ShallowCopy() => new(Origin, new OrderedDictionary<string, RawNode>(Fields, StringComparer.Ordinal));

    /// <summary>A view of a resolved object as a raw one, so it can be merged with unresolved layers.</summary>
    public static RawObject FromResolved(HoconObject resolved)
    {
        var fields = new OrderedDictionary<string, RawNode>(resolved.Count, StringComparer.Ordinal);
        foreach (var (key, value) in resolved)
        {
            fields[key] = new RawResolved(value);
        }

        return new RawObject(resolved.Origin, fields);
    }
}
