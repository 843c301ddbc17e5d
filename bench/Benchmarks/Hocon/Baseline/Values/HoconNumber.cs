using System.Globalization;
using ActorHost.Benchmarks.Hocon.Baseline.Syntax;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// A number. The text is kept exactly as written (HOCON concatenates and renders numbers as written);
/// the value is an <see cref="long"/> when the text is an integer that fits, otherwise a <see cref="double"/>.
/// </summary>
internal sealed class HoconNumber : HoconValue
{
    private readonly long _int64;
    private readonly bool _isInt64;

    /// <summary>Creates a number from an integer.</summary>
    /// <param name="value">The value.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconNumber(long value, HoconOrigin? origin = null)
        : base(origin ?? HoconOrigin.Code)
    {
        Text = value.ToString(CultureInfo.InvariantCulture);
        _int64 = value;
        _isInt64 = true;
        AsDouble = value;
    }

    /// <summary>Creates a number from a finite double.</summary>
    /// <param name="value">The value; NaN and infinities are not JSON numbers and are rejected.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public HoconNumber(double value, HoconOrigin? origin = null)
        : base(origin ?? HoconOrigin.Code)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON numbers are finite.");
        }

        Text = value.ToString("R", CultureInfo.InvariantCulture);
        AsDouble = value;
    }

    /// <summary>Creates a number from text already checked against the JSON number grammar.</summary>
    internal HoconNumber(string text, HoconOrigin origin)
        : base(origin)
    {
        Text = text;
        if (IsIntegerText(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            _int64 = l;
            _isInt64 = true;
            AsDouble = l;
        }
        else
        {
            AsDouble = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Parses JSON number text, or returns null when <paramref name="text"/> is not one.</summary>
    /// <param name="text">The text, e.g. <c>-1.5e3</c>.</param>
    /// <param name="origin">Where it was defined; <see cref="HoconOrigin.Code"/> when null.</param>
    public static HoconNumber? TryParse(string text, HoconOrigin? origin = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return JsonNumberGrammar.IsNumber(text) ? new HoconNumber(text, origin ?? HoconOrigin.Code) : null;
    }

    /// <summary>The number exactly as written.</summary>
    public string Text { get; }

    /// <summary>The value as a double (may be rounded, or infinite for huge exponents).</summary>
    public double AsDouble { get; }

    /// <summary>True when the text is an integer that fits in a <see cref="long"/>.</summary>
    public bool IsInt64 => _isInt64;

    /// <inheritdoc />
    public override HoconValueType Type => HoconValueType.Number;

    /// <summary>Gets the value as a <see cref="long"/> when the text is an integer that fits.</summary>
    /// <param name="value">The value.</param>
    public bool TryGetInt64(out long value)
    {
        value = _int64;
        return _isInt64;
    }

    /// <summary>Gets the exact decimal value, when it fits in a <see cref="decimal"/>.</summary>
    /// <param name="value">The value.</param>
    public bool TryGetDecimal(out decimal value)
    {
        if (_isInt64)
        {
            value = _int64;
            return true;
        }

        return decimal.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <inheritdoc />
    public override bool Equals(HoconValue? other)
    {
        if (other is not HoconNumber n)
        {
            return false;
        }

        if (_isInt64 && n._isInt64)
        {
            return _int64 == n._int64;
        }

        if (TryGetDecimal(out var a) && n.TryGetDecimal(out var b))
        {
            return a == b;
        }

        return AsDouble.Equals(n.AsDouble);
    }

    /// <inheritdoc />
    public override int GetHashCode() => AsDouble.GetHashCode();

    internal override string Describe() => "number " + Text;

    private static bool IsIntegerText(string text)
    {
        foreach (var c in text)
        {
            if (c is '.' or 'e' or 'E')
            {
                return false;
            }
        }

        return true;
    }
}
