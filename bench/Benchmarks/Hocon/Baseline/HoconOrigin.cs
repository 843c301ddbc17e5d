namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// Where a value or an error comes from: the source (a file path, or a name given to a parsed string),
/// the 1-based line and the 1-based column. Rendered as <c>source:line:column</c>, the prefix of every
/// error message of this library.
/// </summary>
internal sealed class HoconOrigin
{
    /// <summary>Creates an origin.</summary>
    /// <param name="source">The file path or the name of the parsed text.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column (UTF-16 code units).</param>
    public HoconOrigin(string source, int line, int column)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        Line = line;
        Column = column;
    }

    /// <summary>The file path, or the name given to a parsed string.</summary>
    public string Source { get; }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>1-based column number.</summary>
    public int Column { get; }

    /// <summary>The origin of values that do not come from any text (built in code).</summary>
    public static HoconOrigin Code { get; } = new("<code>", 1, 1);

    /// <summary>The origin of values taken from an environment variable.</summary>
    /// <param name="name">The variable name.</param>
    public static HoconOrigin EnvironmentVariable(string name) => new("env:" + name, 1, 1);

    /// <summary>Renders <c>source:line:column</c>.</summary>
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
