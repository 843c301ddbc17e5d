namespace ActorHost.Workers.Faults;

/// <summary>
/// One fault-injection rule (<c>actorhost.faults.rules</c> entry, or added at run time). It matches calls by
/// route and worker glob, counts them, and fires on the <see cref="Nth"/> call, on <see cref="Every"/> nth
/// call, or with a seeded <see cref="Probability"/>. A rule with none of the three fires on every matching call; a
/// probability of 0 is set, and never fires (a paused rule that still counts its calls).
/// </summary>
public sealed record FaultRule
{
    /// <summary>Route-name glob (<c>*</c> any characters, <c>?</c> one).</summary>
    public string Route { get; init; } = "*";

    /// <summary>
    /// Worker glob: matched against the full actor path when it starts with <c>/</c>
    /// (<c>/user/routes/counter/*</c>), otherwise against the worker's name (<c>worker-3</c>, an entity key).
    /// </summary>
    public string Worker { get; init; } = "*";

    /// <summary>Where the fault strikes.</summary>
    public FaultPoint Point { get; init; } = FaultPoint.BeforeHandle;

    /// <summary>Fire on exactly this matching call (1-based); 0 = not used.</summary>
    public long Nth { get; init; }

    /// <summary>Fire on every nth matching call (n, 2n, …); 0 = not used.</summary>
    public long Every { get; init; }

    /// <summary>
    /// Fire with this probability per matching call (seeded, so repeatable); null = not used. 0 never fires: without this
    /// distinction, a rule "paused" by setting its probability to 0 would have had no trigger left, and fired every time.
    /// </summary>
    public double? Probability { get; init; }

    /// <summary><see cref="FaultPoint.AfterBytes"/> and <see cref="FaultPoint.OnWrite"/>: body bytes let through first.</summary>
    public long AfterBytes { get; init; }

    /// <summary>Full name of the exception type thrown (ignored by <see cref="FaultPoint.OnWrite"/>, which always throws <see cref="IOException"/>).</summary>
    public string Exception { get; init; } = "System.InvalidOperationException";

    /// <summary>The exception's message.</summary>
    public string Message { get; init; } = "injected fault";

    /// <summary>Non-zero: exit the process with this code instead of throwing.</summary>
    public int ExitCode { get; init; }

    /// <summary>The longest <see cref="HangLimit"/> (49 days): a hang waits on a timer, which cannot wait longer than about 49.7 days.</summary>
    public static TimeSpan MaxHangLimit { get; } = TimeSpan.FromDays(49);

    /// <summary><see cref="FaultPoint.Hang"/>: the longest the hang lasts if nobody retires the incarnation (at most <see cref="MaxHangLimit"/>).</summary>
    public TimeSpan HangLimit { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Where the rule was defined (file:line), or null for rules added at run time.</summary>
    public string? Origin { get; init; }
}
