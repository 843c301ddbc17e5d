using ActorHost.Benchmarks.Hocon.Baseline.Rendering;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// A resolved, immutable HOCON value with the origin it was defined at. Equality is structural (origins
/// are ignored, numbers compare by value), so two configurations can be compared directly.
/// </summary>
internal abstract class HoconValue : IEquatable<HoconValue>
{
    private protected HoconValue(HoconOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Origin = origin;
    }

    /// <summary>Where the value was defined.</summary>
    public HoconOrigin Origin { get; }

    /// <summary>The JSON type of the value.</summary>
    public abstract HoconValueType Type { get; }

    /// <summary>How deeply objects and arrays nest inside this value (0 for scalars).</summary>
    internal virtual int Depth => 0;

    /// <summary>How many values this one stands for when written out (shared values count every time).</summary>
    internal virtual long ExpandedSize => 1;

    /// <summary>Renders the value as JSON.</summary>
    /// <param name="indented">Two-space indentation and one field per line when true.</param>
    public string ToJson(bool indented = false) => JsonRenderer.Render(this, indented);

    /// <summary>Renders the value as compact JSON.</summary>
    public override string ToString() => ToJson();

    /// <inheritdoc />
    public abstract bool Equals(HoconValue? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is HoconValue other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>A short description for error messages, e.g. <c>string "abc"</c> or <c>object</c>.</summary>
    internal abstract string Describe();

    /// <summary>The lower-case type name used in messages: object, list, string, number, boolean, null.</summary>
    internal string TypeName => TypeNames.Of(Type);
}
