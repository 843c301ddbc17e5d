namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>A node of the syntax tree the parser builds: what the text says, with where it says it.</summary>
internal abstract class SyntaxNode(HoconOrigin origin)
{
    public HoconOrigin Origin { get; } = origin;
}
