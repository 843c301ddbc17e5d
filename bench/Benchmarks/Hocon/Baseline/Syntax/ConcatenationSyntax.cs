namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>
/// Several values on one line with only whitespace between them (<c>foo bar ${x}</c>, <c>[1] [2]</c>,
/// <c>${base} { x = 1 }</c>). The whitespace between pieces is kept as <see cref="WhitespaceSyntax"/>.
/// </summary>
internal sealed class ConcatenationSyntax(HoconOrigin origin, IReadOnlyList<SyntaxNode> pieces) : SyntaxNode(origin)
{
    public IReadOnlyList<SyntaxNode> Pieces { get; } = pieces;
}

/// <summary>Whitespace between two pieces of a concatenation; it is part of a string concatenation.</summary>
internal sealed class WhitespaceSyntax(HoconOrigin origin, string text) : SyntaxNode(origin)
{
    public string Text { get; } = text;
}
