namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>Where an include statement looks for its resource.</summary>
internal enum IncludeKind
{
    /// <summary><c>include "name"</c>: a file next to the including file (then the search paths).</summary>
    Heuristic,

    /// <summary><c>include file("name")</c>.</summary>
    File,

    /// <summary><c>include url("...")</c>: not supported, reported as an error.</summary>
    Url,

    /// <summary><c>include classpath("...")</c>: not supported, reported as an error.</summary>
    Classpath,
}

/// <summary>An include statement: <c>include [required(][file(]"name"[)][)]</c>.</summary>
internal sealed class IncludeSyntax(HoconOrigin origin, IncludeKind kind, bool required, string name) : MemberSyntax(origin)
{
    public IncludeKind Kind { get; } = kind;

    public bool Required { get; } = required;

    public string Name { get; } = name;
}
