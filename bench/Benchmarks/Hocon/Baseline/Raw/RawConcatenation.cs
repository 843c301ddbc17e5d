namespace ActorHost.Benchmarks.Hocon.Baseline.Raw;

/// <summary>A concatenation whose kind (string, array or object) depends on substitutions in it.</summary>
internal sealed class RawConcatenation(HoconOrigin origin, RawNode[] pieces) : RawNode(origin)
{
    public RawNode[] Pieces { get; } = pieces;

    public override bool IsUnmergeable => true;
}
