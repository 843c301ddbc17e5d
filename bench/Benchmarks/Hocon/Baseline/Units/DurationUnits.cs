namespace ActorHost.Benchmarks.Hocon.Baseline.Units;

/// <summary>
/// Durations: a number is milliseconds; a string is a number and one of the spec's units (ns, us, ms, s,
/// m, h, d and their long forms), or <c>infinite</c>. Values are computed exactly in nanoseconds.
/// </summary>
internal static class DurationUnits
{
    public const string Expected = "duration";
    private const string UnitList = "ns, us, ms, s, m, h, d (or nanoseconds, microseconds, milliseconds, seconds, minutes, hours, days), or infinite";

    private static readonly Dictionary<string, long> Nanos = Build();

    /// <summary>True for the words that mean "no limit".</summary>
    public static bool IsInfinite(string text) => text.Trim() is "infinite" or "inf";

    /// <summary>Parses to nanoseconds, or returns an error message.</summary>
    public static (long Nanoseconds, string? Error) ToNanoseconds(string number, string unit)
    {
        if (!Nanos.TryGetValue(unit.Length == 0 ? "ms" : unit, out var factor))
        {
            return (0, $"unknown duration unit '{unit}' (expected {UnitList})");
        }

        if (!DecimalText.TryParse(number, out var mantissa, out var exponent))
        {
            return (0, $"'{number}' is not a number");
        }

        var nanos = DecimalText.Scale(mantissa, exponent, factor);
        if (nanos > long.MaxValue || nanos < long.MinValue)
        {
            return (0, "the duration is out of range (at most about 292 years)");
        }

        return ((long)nanos, null);
    }

    private static Dictionary<string, long> Build()
    {
        var table = new Dictionary<string, long>(StringComparer.Ordinal);
        void Add(long nanos, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = nanos;
            }
        }

        Add(1, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000, "s", "second", "seconds");
        Add(60_000_000_000, "m", "minute", "minutes");
        Add(3_600_000_000_000, "h", "hour", "hours");
        Add(86_400_000_000_000, "d", "day", "days");
        return table;
    }

    /// <summary>Nanoseconds as a <see cref="TimeSpan"/> (100 ns ticks, truncated toward zero).</summary>
    public static TimeSpan ToTimeSpan(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);
}
