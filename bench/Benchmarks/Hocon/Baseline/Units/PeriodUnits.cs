using System.Globalization;

namespace ActorHost.Benchmarks.Hocon.Baseline.Units;

/// <summary>Date-based periods: a number is days; a string is an integer and d/day(s), w/week(s), m/mo/month(s) or y/year(s).</summary>
internal static class PeriodUnits
{
    public const string Expected = "period";

    public static (HoconPeriod Period, string? Error) Parse(string number, string unit)
    {
        if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return (default, $"'{number}' is not a whole number (periods take whole days, weeks, months or years)");
        }

        return unit switch
        {
            "" or "d" or "day" or "days" => (new HoconPeriod(0, 0, n), null),
            "w" or "week" or "weeks" => n is > int.MaxValue / 7 or < int.MinValue / 7
                ? (default, "the period is out of range")
                : (new HoconPeriod(0, 0, n * 7), null),
            "m" or "mo" or "month" or "months" => (new HoconPeriod(0, n, 0), null),
            "y" or "year" or "years" => (new HoconPeriod(n, 0, 0), null),
            _ => (default, $"unknown period unit '{unit}' (expected d, day(s), w, week(s), m, mo, month(s), y, year(s))"),
        };
    }
}
