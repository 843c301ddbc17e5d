namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>A string value (quoted, unquoted, triple-quoted or the result of a concatenation).</summary>
internal sealed class HoconString : HoconValue
{
    /// <summary>Creates a string value.</summary>
    /// <param name="value">The text.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconString(string value, HoconOrigin? origin = null)
        : base(origin ?? HoconOrigin.Code)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.String;

    /// <inheritdoc />
    public override bool Equals(HoconValue? other) => other is HoconString s && s.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    internal override string Describe()
    {
        var shown = Value.Length > 40 ? Value[..40] + "…" : Value;
        return $"string \"{shown}\"";
    }
}
