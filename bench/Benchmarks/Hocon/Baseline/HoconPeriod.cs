namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>A date-based amount of time (what <c>5 mo</c> or <c>1y</c> mean), since months and years have no fixed length.</summary>
/// <param name="Years">Whole years.</param>
/// <param name="Months">Whole months.</param>
/// <param name="Days">Whole days (weeks are read as 7 days).</param>
internal readonly record struct HoconPeriod(int Years, int Months, int Days)
{
    /// <summary>Adds the period to a date: years, then months, then days.</summary>
    /// <param name="date">The start.</param>
    public DateTimeOffset AddTo(DateTimeOffset date) => date.AddYears(Years).AddMonths(Months).AddDays(Days);
}
