namespace ActorHost.Workers.Faults;

/// <summary>A rule installed in the <see cref="FaultInjector"/>, with its counters.</summary>
/// <param name="Id">The id to remove it by.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Calls">Matching calls counted so far.</param>
/// <param name="Fired">How many of them the rule failed.</param>
public sealed record FaultRuleStatus(int Id, FaultRule Rule, long Calls, long Fired);
