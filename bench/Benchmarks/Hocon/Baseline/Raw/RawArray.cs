namespace ActorHost.Benchmarks.Hocon.Baseline.Raw;

/// <summary>An array whose elements may still need resolving.</summary>
internal sealed class RawArray(HoconOrigin origin, RawNode[] elements) : RawNode(origin)
{
    public RawNode[] Elements { get; } = elements;

    public override bool IsDefiniteNonObject => true;
}
