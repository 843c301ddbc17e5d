using System.Globalization;
using System.Numerics;
using ActorHost.Hocon.Units;

namespace ActorHost.Hocon;

/// <summary>
/// The spec's automatic conversions from a value to what a getter asks for (number and boolean to string,
/// string to number or boolean, units for durations and sizes). Every failure names the path, the origin
/// and the expected type.
/// </summary>
internal static class ValueReader
{
    public static string ReadString(HoconValue value, string path) => value switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.Text,
        HoconBoolean b => b.Value ? "true" : "false",
        _ => throw WrongType(value, path, "string"),
    };

    public static bool ReadBoolean(HoconValue value, string path) => value switch
    {
        HoconBoolean b => b.Value,
        HoconString { Value: "true" or "yes" or "on" } => true,
        HoconString { Value: "false" or "no" or "off" } => false,
        HoconString s => throw WrongType(value, path, "boolean", $"found {s.Describe()} (booleans are true/false, yes/no or on/off)"),
        _ => throw WrongType(value, path, "boolean"),
    };

    public static long ReadLong(HoconValue value, string path, string expected = "integer")
    {
        switch (value)
        {
            case HoconNumber n:
                if (n.TryGetInt64(out var l))
                {
                    return l;
                }

                // From the text, not through double: 1000000000000000001.0 is exactly that number, and a
                // double would round it to 1000000000000000000 without a word.
                if (DecimalText.TryParseWholeInt64(n.Text, out var whole))
                {
                    return whole;
                }

                throw WrongType(value, path, expected, $"found {n.Describe()}, which is not a whole number in range");
            case HoconString s when long.TryParse(s.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw WrongType(value, path, expected);
        }
    }

    public static int ReadInt(HoconValue value, string path)
    {
        var l = ReadLong(value, path, "32-bit integer");
        if (l is < int.MinValue or > int.MaxValue)
        {
            throw WrongType(value, path, "32-bit integer", $"found {value.Describe()}, which is out of range");
        }

        return (int)l;
    }

    public static double ReadDouble(HoconValue value, string path)
    {
        var d = value switch
        {
            HoconNumber n => n.AsDouble,
            HoconString s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw WrongType(value, path, "number"),
        };

        return double.IsFinite(d) ? d : throw WrongType(value, path, "number", $"found {value.Describe()}, which is out of range");
    }

    public static decimal ReadDecimal(HoconValue value, string path)
    {
        switch (value)
        {
            case HoconNumber n when n.TryGetDecimal(out var d):
                return d;
            case HoconString s when decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case HoconNumber:
                throw WrongType(value, path, "decimal", $"found {value.Describe()}, which is out of range");
            default:
                throw WrongType(value, path, "decimal");
        }
    }

    public static TimeSpan ReadDuration(HoconValue value, string path)
    {
        if (value is HoconString s && DurationUnits.IsInfinite(s.Value))
        {
            return Timeout.InfiniteTimeSpan;
        }

        // Timeout.InfiniteTimeSpan is -1 ms: a finite value that lands on it (-1ms, -1, -1000us) would silently
        // mean "no limit" to every caller, so only the word infinite may produce it.
        TimeSpan duration = DurationUnits.ToTimeSpan(ReadNanoseconds(value, path));
        return duration == Timeout.InfiniteTimeSpan
            ? throw WrongType(value, path, DurationUnits.Expected,
                $"found {value.Describe()}, a negative duration equal to the infinite timeout (-1 ms); write infinite for no limit")
            : duration;
    }

    public static long ReadNanoseconds(HoconValue value, string path)
    {
        var (number, unit) = value switch
        {
            HoconNumber n => (n.Text, "ms"),
            HoconString s when DurationUnits.IsInfinite(s.Value) =>
                throw WrongType(value, path, DurationUnits.Expected, "found 'infinite', which has no value in nanoseconds (read it with GetDuration)"),
            HoconString s => UnitText.Split(s.Value),
            _ => throw WrongType(value, path, DurationUnits.Expected),
        };

        var (nanos, error) = DurationUnits.ToNanoseconds(number, unit);
        return error is null ? nanos : throw WrongType(value, path, DurationUnits.Expected, $"{error}, found {value.Describe()}");
    }

    public static HoconPeriod ReadPeriod(HoconValue value, string path)
    {
        var (number, unit) = value switch
        {
            HoconNumber n => (n.Text, string.Empty),
            HoconString s => UnitText.Split(s.Value),
            _ => throw WrongType(value, path, PeriodUnits.Expected),
        };

        var (period, error) = PeriodUnits.Parse(number, unit);
        return error is null ? period : throw WrongType(value, path, PeriodUnits.Expected, $"{error}, found {value.Describe()}");
    }

    public static BigInteger ReadByteSizeBig(HoconValue value, string path)
    {
        var (number, unit) = value switch
        {
            HoconNumber n => (n.Text, string.Empty),
            HoconString s => UnitText.Split(s.Value),
            _ => throw WrongType(value, path, ByteSizeUnits.Expected),
        };

        var (bytes, error) = ByteSizeUnits.ToBytes(number, unit);
        return error is null ? bytes : throw WrongType(value, path, ByteSizeUnits.Expected, $"{error}, found {value.Describe()}");
    }

    public static long ReadByteSize(HoconValue value, string path)
    {
        var bytes = ReadByteSizeBig(value, path);
        return bytes <= long.MaxValue
            ? (long)bytes
            : throw WrongType(value, path, ByteSizeUnits.Expected, $"found {value.Describe()}, which does not fit in 64 bits (use GetByteSizeBigInteger)");
    }

    public static HoconArray ReadList(HoconValue value, string path) => value switch
    {
        HoconArray a => a,
        HoconObject o when NumericKeys.ToList(o) is { } converted => converted,
        _ => throw WrongType(value, path, "list"),
    };

    public static HoconObject ReadObject(HoconValue value, string path) =>
        value as HoconObject ?? throw WrongType(value, path, "object");

    public static HoconWrongTypeException WrongType(HoconValue value, string path, string expected, string? detail = null) =>
        new(value.Origin, path, expected, detail ?? $"found {value.Describe()}");
}
