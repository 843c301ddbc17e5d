namespace ActorHost.Hocon;

/// <summary>What <see cref="ConfigValidator"/> checks beyond types and missing keys.</summary>
public sealed record ConfigValidationOptions
{
    /// <summary>The default: check every key of the reference; unknown keys are not reported.</summary>
    public static ConfigValidationOptions Default { get; } = new();

    /// <summary>Only these subtrees of the reference are checked (all of it when empty).</summary>
    public IReadOnlyList<string> RestrictToPaths { get; init; } = [];

    /// <summary>
    /// Subtrees in which a key that the reference does not have is a problem (a misspelt key would
    /// otherwise be silently ignored). Use <c>""</c> for the whole configuration.
    /// </summary>
    public IReadOnlyList<string> RejectUnknownKeysUnder { get; init; } = [];

    /// <summary>
    /// When true, a setting whose reference value is a string accepts only simple values (strings, numbers,
    /// booleans, null), not objects or lists. The reference implementation's rule (false) accepts anything
    /// for a string setting; ActorHost's durations and sizes are strings in its reference, so it wants true.
    /// </summary>
    public bool StrictStrings { get; init; }

    /// <summary>
    /// Open maps: objects whose keys the user chooses (route names, strategy names). Maps the path of each
    /// such object to the path, in the reference, of the template every entry is checked against. An entry
    /// may leave out template keys (it falls back to the template), but its values must have the template's
    /// types, and its unknown keys are reported when the map lies under <see cref="RejectUnknownKeysUnder"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> OpenMaps { get; init; } = new Dictionary<string, string>();
}
