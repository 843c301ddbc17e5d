namespace ActorHost.Benchmarks.Hocon.Baseline.Raw;

/// <summary>Whitespace between the pieces of a concatenation (kept in strings, ignored between objects or arrays).</summary>
internal sealed class RawWhitespace(HoconOrigin origin, string text) : RawNode(origin)
{
    public string Text { get; } = text;
}
