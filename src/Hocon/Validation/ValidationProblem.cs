namespace ActorHost.Hocon;

/// <summary>One problem found by <see cref="ConfigValidator"/>.</summary>
/// <param name="Path">The setting's path, rendered as a path expression.</param>
/// <param name="Origin">Where in the configuration the problem is (for a missing key: the object that lacks it).</param>
/// <param name="Kind">What kind of problem it is.</param>
/// <param name="Expected">The type the reference implies (object, list, string, number, boolean), empty for unknown keys.</param>
/// <param name="Actual">The type found, empty for missing keys.</param>
/// <param name="Message">A sentence saying what is wrong and what was expected.</param>
public sealed record ValidationProblem(string Path, HoconOrigin Origin, ValidationProblemKind Kind, string Expected, string Actual, string Message)
{
    /// <summary>Renders <c>file:line:column: message</c>.</summary>
    public override string ToString() => $"{Origin}: {Message}";
}
