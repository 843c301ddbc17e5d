namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed class HoconBoolean : HoconValue
{
    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconBoolean(bool value, HoconOrigin? origin = null)
        : base(origin ?? HoconOrigin.Code)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Boolean;

    /// <inheritdoc />
    public override bool Equals(HoconValue? other) => other is HoconBoolean b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    internal override string Describe() => Value ? "boolean true" : "boolean false";
}
