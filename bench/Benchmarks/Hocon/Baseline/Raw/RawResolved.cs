namespace ActorHost.Benchmarks.Hocon.Baseline.Raw;

/// <summary>A node that is already a final value (a literal, or a value resolved earlier).</summary>
internal sealed class RawResolved(HoconValue value) : RawNode(value.Origin)
{
    public HoconValue Value { get; } = value;

    public override bool IsDefiniteNonObject => Value is not HoconObject;
}
