namespace ActorHost.Hocon.Syntax;

/// <summary>An array literal <c>[ ... ]</c>.</summary>
internal sealed class ArraySyntax(HoconOrigin origin, SyntaxNode[] elements) : SyntaxNode(origin)
{
    public SyntaxNode[] Elements { get; } = elements;
}
