namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>How text is parsed and where includes are looked up.</summary>
internal sealed record HoconParseOptions
{
    /// <summary>The default options: syntax from the file extension, includes next to the including file.</summary>
    public static HoconParseOptions Default { get; } = new();

    /// <summary>
    /// The syntax to use. When null: files use their extension (<c>.json</c>, <c>.properties</c>, otherwise
    /// HOCON) and parsed strings are HOCON.
    /// </summary>
    public HoconSyntax? Syntax { get; init; }

    /// <summary>
    /// The name a parsed string gets in origins and error messages (files use their path). Defaults to
    /// <c>string</c>.
    /// </summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// The directory relative includes in a parsed string are resolved against (a file's includes are
    /// resolved against the file's own directory). Defaults to the current directory.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Directories searched, in order, for a plain <c>include "name"</c> that is not found next to the
    /// including file (a leading '/' in the name is ignored here). This plays the part of the Java
    /// classpath of the reference implementation; <c>file()</c> includes never use it.
    /// </summary>
    public IReadOnlyList<string> IncludeSearchPaths { get; init; } = [];
}
