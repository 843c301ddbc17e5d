namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>A string, number, boolean or null literal, already as its value.</summary>
internal sealed class LiteralSyntax(HoconValue value) : SyntaxNode(value.Origin)
{
    public HoconValue Value { get; } = value;
}
