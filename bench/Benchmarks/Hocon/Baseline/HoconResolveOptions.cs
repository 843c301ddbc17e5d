namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>How substitutions are resolved.</summary>
internal sealed record HoconResolveOptions
{
    /// <summary>
    /// Resolution with the process environment as the fallback for substitutions the configuration does
    /// not define (HOCON's convention).
    /// </summary>
    public static HoconResolveOptions Default { get; } = new() { EnvironmentVariables = Environment.GetEnvironmentVariable };

    /// <summary>Resolution against the configuration alone: no environment fallback.</summary>
    public static HoconResolveOptions NoEnvironment { get; } = new();

    /// <summary>
    /// The source of environment variables for substitutions not found in the configuration (only
    /// single-key paths such as <c>${HOME}</c> are looked up); null means no fallback. A value set in the
    /// configuration, even <c>null</c>, always wins over the environment.
    /// </summary>
    public Func<string, string?>? EnvironmentVariables { get; init; }

    /// <summary>Options whose environment is the given dictionary (handy in tests).</summary>
    /// <param name="variables">The variables.</param>
    public static HoconResolveOptions WithEnvironment(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new HoconResolveOptions { EnvironmentVariables = name => variables.TryGetValue(name, out var value) ? value : null };
    }
}
