using ActorHost.Workers;
using ActorHost.Workers.Faults;

namespace ActorHost.Gateway.Management;

/// <summary>
/// The JSON body of <c>POST /faults</c>: the same fields as a rule in <c>actorhost.faults.rules</c>, in camelCase
/// (<c>afterBytes</c>, <c>exitCode</c>) and with the hang limit in milliseconds (<c>hangLimitMs</c>). Read by
/// <see cref="FaultRuleRequestReader"/>, which refuses any other field.
/// </summary>
internal sealed record FaultRuleRequest
{
    // The defaults are the rule's own, so an endpoint rule and a HOCON rule with the same fields are the same rule.
    private static readonly FaultRule Defaults = new();

    public string Route { get; init; } = Defaults.Route;

    public string Worker { get; init; } = Defaults.Worker;

    public string Point { get; init; } = ConfigWords.ToWord(Defaults.Point);

    public long Nth { get; init; }

    public long Every { get; init; }

    /// <summary>Absent: not a trigger. 0 is a trigger that never fires (see <see cref="FaultRule.Probability"/>).</summary>
    public double? Probability { get; init; }

    public long AfterBytes { get; init; }

    public string Exception { get; init; } = Defaults.Exception;

    public string Message { get; init; } = Defaults.Message;

    public int ExitCode { get; init; }

    /// <summary>Hang point only: milliseconds after which the hang gives up (default one minute).</summary>
    public long? HangLimitMs { get; init; }

    public bool TryToRule([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FaultRule? rule, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        rule = null;
        if (!ConfigWords.TryParse(Point, out FaultPoint point))
        {
            error = $"point \"{Point}\" is not one of: constructor, before-handle, after-bytes, on-write, hang";
            return false;
        }

        // Checked here, not by the rule's validator: a value beyond TimeSpan's range cannot even become a rule.
        long maxMs = (long)FaultRule.MaxHangLimit.TotalMilliseconds;
        if (HangLimitMs is < 1 || HangLimitMs > maxMs)
        {
            error = $"hangLimitMs: must be between 1 and {maxMs} (is {HangLimitMs})";
            return false;
        }

        rule = new FaultRule
        {
            Route = Route,
            Worker = Worker,
            Point = point,
            Nth = Nth,
            Every = Every,
            Probability = Probability,
            AfterBytes = AfterBytes,
            Exception = Exception,
            Message = Message,
            ExitCode = ExitCode,
            HangLimit = HangLimitMs is long ms ? TimeSpan.FromMilliseconds(ms) : Defaults.HangLimit,
        };
        error = null;
        return true;
    }
}
