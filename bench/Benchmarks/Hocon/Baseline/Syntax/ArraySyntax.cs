namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>An array literal <c>[ ... ]</c>.</summary>
internal sealed class ArraySyntax(HoconOrigin origin, IReadOnlyList<SyntaxNode> elements) : SyntaxNode(origin)
{
    public IReadOnlyList<SyntaxNode> Elements { get; } = elements;
}
