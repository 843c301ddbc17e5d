using System.Numerics;

namespace ActorHost.Hocon.Units;

/// <summary>
/// Exact parsing of decimal number text (<c>-0.5</c>, <c>+12</c>, <c>1e3</c>, <c>.33</c>) into an integer
/// mantissa and a power of ten, so unit conversions never lose precision (4878955355435272204ns stays exact).
/// </summary>
internal static class DecimalText
{
    private const int MaxExponent = 400;

    public static bool TryParse(ReadOnlySpan<char> s, out BigInteger mantissa, out int exponent)
    {
        mantissa = BigInteger.Zero;
        exponent = 0;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var digits = 0;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var integerPart = s[start..i];
        digits += integerPart.Length;
        var fractionPart = ReadOnlySpan<char>.Empty;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var fractionStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            fractionPart = s[fractionStart..i];
            digits += fractionPart.Length;
        }

        if (digits == 0 || digits > 200)
        {
            return false;
        }

        var exp = 0;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            var expNegative = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                expNegative = s[i] == '-';
                i++;
            }

            var expStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (exp > MaxExponent)
                {
                    return false;
                }

                exp = (exp * 10) + (s[i] - '0');
                i++;
            }

            if (i == expStart)
            {
                return false;
            }

            exp = expNegative ? -exp : exp;
        }

        if (i != s.Length)
        {
            return false;
        }

        exponent = exp - fractionPart.Length;
        if (Math.Abs(exponent) > MaxExponent)
        {
            return false;
        }

        mantissa = BigInteger.Parse(string.Concat(integerPart, fractionPart) is { Length: > 0 } all ? all : "0", System.Globalization.CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        return true;
    }

    /// <summary>
    /// The exact value of number text (<c>1000000000000000001.0</c>, <c>1e3</c>) when it is a whole number that
    /// fits in a <see cref="long"/>; false for a fraction, a value out of range, or text that is not a number.
    /// </summary>
    public static bool TryParseWholeInt64(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (!TryParse(s, out var mantissa, out var exponent))
        {
            return false;
        }

        BigInteger whole;
        if (mantissa.IsZero)
        {
            whole = BigInteger.Zero;
        }
        else if (exponent >= 0)
        {
            // Above 10^19 every non-zero mantissa is out of range; stop before building a huge power.
            if (exponent > 19)
            {
                return false;
            }

            whole = mantissa * BigInteger.Pow(10, exponent);
        }
        else
        {
            whole = BigInteger.DivRem(mantissa, BigInteger.Pow(10, -exponent), out var remainder);
            if (!remainder.IsZero)
            {
                return false;
            }
        }

        if (whole < long.MinValue || whole > long.MaxValue)
        {
            return false;
        }

        value = (long)whole;
        return true;
    }

    /// <summary>mantissa × 10^exponent × factor, truncated toward zero.</summary>
    public static BigInteger Scale(BigInteger mantissa, int exponent, BigInteger factor)
    {
        var product = mantissa * factor;
        return exponent >= 0
            ? product * BigInteger.Pow(10, exponent)
            : BigInteger.Divide(product, BigInteger.Pow(10, -exponent));
    }
}
