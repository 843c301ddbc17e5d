namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>A substitution <c>${path}</c> or <c>${?path}</c>.</summary>
internal sealed class SubstitutionSyntax(HoconOrigin origin, KeyPath path, bool optional) : SyntaxNode(origin)
{
    public KeyPath Path { get; } = path;

    public bool Optional { get; } = optional;
}
