namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary><c>null</c>: present, but without a value (it also blocks object merging).</summary>
internal sealed class HoconNull : HoconValue
{
    /// <summary>Creates a null value.</summary>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconNull(HoconOrigin? origin = null)
        : base(origin ?? HoconOrigin.Code)
    {
    }

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Null;

    /// <inheritdoc />
    public override bool Equals(HoconValue? other) => other is HoconNull;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    internal override string Describe() => "null";
}
