namespace ActorHost.Benchmarks.Hocon.Baseline.Loading;

/// <summary>What the loader needs to know about the file it is building: where it is and where it was included.</summary>
internal sealed class LoadScope(string? directory, KeyPath prefix)
{
    /// <summary>The directory relative includes resolve against, or null for text without a file.</summary>
    public string? Directory { get; } = directory;

    /// <summary>The path, from the final root, of the object this file was included into.</summary>
    public KeyPath Prefix { get; } = prefix;

    /// <summary>How many substitutions this file (and what it includes) contains.</summary>
    public int Substitutions { get; set; }
}
