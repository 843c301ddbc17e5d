using ActorHost.Workers.Faults;

namespace ActorHost.Workers.Options;

/// <summary>
/// Everything the <see cref="Runtime.WorkerRuntime"/> needs from configuration: routes, supervision strategies,
/// the strategy for the route supervisors, the actor kernel's dispatch settings and fault injection.
/// Bound from the <c>actorhost</c> section by <c>WorkerOptionsBinder</c>, or built in code.
/// </summary>
public sealed record WorkerRuntimeOptions
{
    /// <summary>Routes by name.</summary>
    public IReadOnlyDictionary<string, RouteOptions> Routes { get; init; } = new Dictionary<string, RouteOptions>();

    /// <summary>Supervision strategies by name (<c>supervision.strategies</c>).</summary>
    public IReadOnlyDictionary<string, SupervisionStrategyOptions> Strategies { get; init; } = DefaultStrategies();

    /// <summary>The strategy (by name) that <c>/user/routes</c> applies to failing route supervisors (<c>supervision.route-supervisors</c>).</summary>
    public string RouteSupervisors { get; init; } = "escalate";

    /// <summary>Messages an actor processes per turn before yielding its thread (<c>actors.throughput</c>).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>
    /// Whether a request that wakes an idle worker runs the worker's turn on the dispatching thread, until the
    /// handler first awaits, instead of queuing it on the thread pool (<c>actors.inline-dispatch</c>; on by default).
    /// The dispatching thread is the gateway's request thread, which only awaits the result next; a handler that
    /// never yields holds it as it would hold a pool thread. Off: <see cref="Runtime.WorkerRuntime.Dispatch"/> only
    /// queues.
    /// </summary>
    public bool InlineDispatch { get; init; } = true;

    /// <summary>Worker mailboxes (<c>actors.mailbox</c>).</summary>
    public WorkerMailboxOptions Mailbox { get; init; } = new();

    /// <summary>Fault injection (<c>faults</c>); off by default.</summary>
    public FaultOptions Faults { get; init; } = new();

    /// <summary>The two strategies reference.conf defines: <c>default</c> (restart on anything) and <c>escalate</c>.</summary>
    public static IReadOnlyDictionary<string, SupervisionStrategyOptions> DefaultStrategies() =>
        new Dictionary<string, SupervisionStrategyOptions>(StringComparer.Ordinal)
        {
            ["default"] = new() { Name = "default", Decider = [new DeciderRule("*", SupervisionDirective.Restart)] },
            ["escalate"] = new() { Name = "escalate", Decider = [new DeciderRule("*", SupervisionDirective.Escalate)] },
        };
}

/// <summary>The worker mailbox: <c>actorhost.actors.mailbox</c>.</summary>
public sealed record WorkerMailboxOptions
{
    /// <summary>Bounded or unbounded.</summary>
    public MailboxKind Type { get; init; } = MailboxKind.Unbounded;

    /// <summary>Bounded only: how many requests may wait per worker.</summary>
    public int Capacity { get; init; } = 1000;

    /// <summary>
    /// Bounded only, when full: <see cref="MailboxOverflowMode.Reject"/>, the only mode a request mailbox supports
    /// (the request is answered at once, outcome overloaded, 503 + Retry-After). Requests are delivered with a
    /// non-blocking send, and one that waited for room would only hold its connection, so
    /// <see cref="MailboxOverflowMode.BackPressure"/> is refused by validation.
    /// </summary>
    public MailboxOverflowMode Overflow { get; init; } = MailboxOverflowMode.Reject;
}

/// <summary>Mailbox kinds.</summary>
public enum MailboxKind
{
    /// <summary>No limit.</summary>
    Unbounded,

    /// <summary>At most <see cref="WorkerMailboxOptions.Capacity"/> waiting messages.</summary>
    Bounded,
}

/// <summary>What a full bounded mailbox does.</summary>
public enum MailboxOverflowMode
{
    /// <summary>Refuse the message.</summary>
    Reject,

    /// <summary>
    /// Make senders wait for room. Not supported for request mailboxes: validation refuses it (kept so that the
    /// configuration word is recognised and refused with a reason rather than as an unknown word).
    /// </summary>
    BackPressure,
}

/// <summary>Fault injection: <c>actorhost.faults</c>.</summary>
public sealed record FaultOptions
{
    /// <summary>Master switch. Off: rules are ignored and none can be added at run time.</summary>
    public bool Enabled { get; init; }

    /// <summary>Seed for probability rules.</summary>
    public int Seed { get; init; }

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<FaultRule> Rules { get; init; } = [];
}
