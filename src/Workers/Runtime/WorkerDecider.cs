using ActorHost.Actors;
using ActorHost.Workers.Configuration;
using ActorHost.Workers.Options;

namespace ActorHost.Workers.Runtime;

/// <summary>
/// The decider built from a strategy's HOCON rules: the rule for the most specific type in the exception's
/// class hierarchy wins, then base types, then <c>"*"</c> (Akka's default decider when there is no <c>"*"</c>).
/// </summary>
/// <remarks>
/// Initialization failures (the worker's constructor or <c>OnStarted</c> threw; the kernel wraps the cause in
/// <see cref="ActorInitializationException"/>) keep Akka's default of <see cref="Directive.Stop"/> unless a rule
/// names the wrapper or the cause's type explicitly: a <c>"*"</c> restart rule would otherwise turn a
/// constructor that always throws into a tight restart loop.
/// </remarks>
internal sealed class WorkerDecider : IDecider
{
    private readonly Dictionary<Type, Directive> _rules = [];
    private readonly Directive? _default;

    public WorkerDecider(IEnumerable<DeciderRule> rules)
    {
        foreach (DeciderRule rule in rules)
        {
            Directive directive = ToKernel(rule.Directive);
            if (rule.Exception == "*")
            {
                _default ??= directive;
            }
            else if (ExceptionTypes.TryResolve(rule.Exception, out Type? type, out string? problem))
            {
                _rules.TryAdd(type, directive);
            }
            else
            {
                throw new ArgumentException($"Decider rule for \"{rule.Exception}\": {problem}.", nameof(rules));
            }
        }
    }

    public Directive Decide(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        if (cause is ActorInitializationException initialization)
        {
            return Explicit(cause.GetType())
                ?? (initialization.InnerException is { } inner ? Explicit(inner.GetType()) : null)
                ?? Directive.Stop;
        }

        return Explicit(cause.GetType()) ?? _default ?? Decider.Default.Decide(cause);
    }

    public static Directive ToKernel(SupervisionDirective directive) => directive switch
    {
        SupervisionDirective.Resume => Directive.Resume,
        SupervisionDirective.Restart => Directive.Restart,
        SupervisionDirective.Stop => Directive.Stop,
        SupervisionDirective.Escalate => Directive.Escalate,
        _ => throw new ArgumentOutOfRangeException(nameof(directive), directive, "Unknown directive."),
    };

    public static SupervisionDirective FromKernel(Directive directive) => directive switch
    {
        Directive.Resume => SupervisionDirective.Resume,
        Directive.Restart => SupervisionDirective.Restart,
        Directive.Stop => SupervisionDirective.Stop,
        _ => SupervisionDirective.Escalate,
    };

    /// <summary>Builds the kernel strategy for a configured one.</summary>
    public static SupervisorStrategy BuildStrategy(SupervisionStrategyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var decider = new WorkerDecider(options.Decider);
        // The kernel follows Akka: -1 retries with a finite window means one restart per window. The configuration
        // promises that -1 is no limit, so a strategy without a limit gets no window.
        TimeSpan? window = options.WithinTimeRange == Timeout.InfiniteTimeSpan || options.MaxNrOfRetries < 0 ? null : options.WithinTimeRange;
        return options.Type == StrategyKind.AllForOne
            ? new AllForOneStrategy(options.MaxNrOfRetries, window, decider)
            : new OneForOneStrategy(options.MaxNrOfRetries, window, decider);
    }

    private Directive? Explicit(Type type)
    {
        for (Type? t = type; t is not null; t = t.BaseType)
        {
            if (_rules.TryGetValue(t, out Directive directive))
            {
                return directive;
            }
        }

        return null;
    }
}
