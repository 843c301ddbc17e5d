using System.Runtime.CompilerServices;
using ActorHost.Workers.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorHost.Workers.Faults;

/// <summary>
/// The deterministic fault harness (off by default). Rules come from <c>actorhost.faults.rules</c> and can be
/// added or removed at run time (the management endpoint calls <see cref="Add"/> / <see cref="Remove"/>).
/// Every rule counts the calls it matches and fires on its nth call, every nth call, or with a probability
/// drawn from a generator seeded with <c>faults.seed</c> and the rule id, so a run repeats exactly when the
/// calls arrive in the same order.
/// </summary>
public sealed class FaultInjector
{
    private readonly Action<int> _exit;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly int _seed;
    private ActiveRule[] _rules = [];
    private int _nextId = 1;

    /// <summary>Creates the injector with the configured rules.</summary>
    /// <param name="options">The <c>faults</c> options.</param>
    /// <param name="exit">Exits the process (for <c>exit-code</c> rules); defaults to <see cref="Environment.Exit"/>.</param>
    /// <param name="log">Where an <c>exit-code</c> rule logs, at Critical, that it ends the process (event 4114, <c>InjectedExit</c>).</param>
    /// <exception cref="ArgumentException">A configured rule is invalid.</exception>
    public FaultInjector(FaultOptions options, Action<int>? exit = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Enabled = options.Enabled;
        _seed = options.Seed;
        _exit = exit ?? Environment.Exit;
        _log = log ?? NullLogger.Instance;
        if (Enabled)
        {
            foreach (FaultRule rule in options.Rules)
            {
                Add(rule);
            }
        }
    }

    /// <summary>False when <c>faults.enabled = off</c>: nothing is ever injected and <see cref="Add"/> refuses.</summary>
    public bool Enabled { get; }

    /// <summary>The installed rules with their counters, in evaluation order.</summary>
    public IReadOnlyList<FaultRuleStatus> Rules =>
        [.. Volatile.Read(ref _rules).Select(r => new FaultRuleStatus(r.Id, r.Rule, r.Calls, r.Fired))];

    internal bool HasRules => Volatile.Read(ref _rules).Length != 0;

    /// <summary>Installs a rule (evaluated after the existing ones) and returns its id.</summary>
    /// <param name="rule">The rule.</param>
    /// <exception cref="InvalidOperationException">Fault injection is disabled.</exception>
    /// <exception cref="ArgumentException">The rule is invalid (the message lists every problem).</exception>
    public int Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!Enabled)
        {
            throw new InvalidOperationException("Fault injection is disabled (actorhost.faults.enabled = off); no rule can be added.");
        }

        string[] problems = [.. FaultRuleValidator.Validate(rule).Select(p => $"{p.Key}: {p.Message}")];
        if (problems.Length > 0)
        {
            throw new ArgumentException("Invalid fault rule: " + string.Join("; ", problems), nameof(rule));
        }

        lock (_gate)
        {
            int id = _nextId++;
            var active = new ActiveRule(id, rule, new Random(unchecked((_seed * 1_000_003) + id)));
            Volatile.Write(ref _rules, [.. _rules, active]);
            return id;
        }
    }

    /// <summary>Removes a rule; false when no rule has that id.</summary>
    /// <param name="id">The id <see cref="Add"/> returned (or the position of a configured rule, from 1).</param>
    public bool Remove(int id)
    {
        lock (_gate)
        {
            ActiveRule[] remaining = [.. _rules.Where(r => r.Id != id)];
            bool removed = remaining.Length != _rules.Length;
            Volatile.Write(ref _rules, remaining);
            return removed;
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            Volatile.Write(ref _rules, []);
        }
    }

    /// <summary>
    /// Builds an envelope whose sink can carry write faults when a write rule is installed. Without one, the
    /// request gets the plain sink: an enabled injector with no write rule costs the write path nothing.
    /// </summary>
    internal RequestEnvelope CreateEnvelope(WorkerRequest request, IResponseSink sink)
    {
        if (!HasWriteRule(Volatile.Read(ref _rules)))
        {
            return new RequestEnvelope(request, sink);
        }

        var faulting = new FaultingResponseSink(sink);
        return new RequestEnvelope(request, faulting) { FaultingSink = faulting };
    }

    /// <summary>
    /// Counts a worker construction; throws (or exits) when a constructor rule fires. <paramref name="name"/> is what a
    /// <c>worker</c> glob not starting with <c>/</c> is matched against: the pool worker's name or the entity key
    /// (never the %-encoded actor name).
    /// </summary>
    internal void OnConstructor(string route, string path, string name)
    {
        if (Fire(FaultPoint.Constructor, route, path, name) is { } fault)
        {
            throw fault.Strike();
        }
    }

    /// <summary>
    /// Counts a handler call against the rules and arms what fires: write faults on the envelope's sink; a
    /// before-handle or hang fault is returned for the worker to act on. <paramref name="name"/>: as for
    /// <see cref="OnConstructor"/>.
    /// </summary>
    internal InjectedFault? OnHandle(RequestEnvelope envelope, string route, string path, string name)
    {
        InjectedFault? handlerFault = null;
        foreach (FaultPoint point in (ReadOnlySpan<FaultPoint>)[FaultPoint.BeforeHandle, FaultPoint.Hang, FaultPoint.AfterBytes, FaultPoint.OnWrite])
        {
            // A request that arrived before any write rule existed has no faulting sink; write rules neither
            // count nor fire for it, so their nth call is always a call they can strike.
            if (IsWritePoint(point) && envelope.FaultingSink is null)
            {
                continue;
            }

            if (Fire(point, route, path, name) is not { } fault)
            {
                continue;
            }

            if (point is FaultPoint.BeforeHandle or FaultPoint.Hang)
            {
                handlerFault ??= fault;
            }
            else
            {
                envelope.FaultingSink!.Arm(fault);
            }
        }

        return handlerFault;
    }

    private static bool IsWritePoint(FaultPoint point) => point is FaultPoint.AfterBytes or FaultPoint.OnWrite;

    private static bool HasWriteRule(ActiveRule[] rules)
    {
        foreach (ActiveRule rule in rules)
        {
            if (IsWritePoint(rule.Rule.Point))
            {
                return true;
            }
        }

        return false;
    }

    private InjectedFault? Fire(FaultPoint point, string route, string path, string name)
    {
        InjectedFault? fired = null;
        foreach (ActiveRule rule in Volatile.Read(ref _rules))
        {
            // Every matching rule counts the call, even when an earlier one already fired, so each rule's
            // "nth call" means the same thing whatever other rules exist.
            if (rule.Rule.Point == point && rule.Matches(route, path, name) && rule.CountAndDecide())
            {
                fired ??= new InjectedFault(rule.Id, rule.Rule, _exit, _log, route, path);
            }
        }

        return fired;
    }

    private sealed class ActiveRule(int id, FaultRule rule, Random random)
    {
        private readonly Glob _route = new(rule.Route);
        private readonly Glob _worker = new(rule.Worker);
        private readonly bool _workerByPath = rule.Worker.StartsWith('/');
        private long _calls;
        private long _fired;

        public int Id => id;

        public FaultRule Rule => rule;

        public long Calls => Interlocked.Read(ref _calls);

        public long Fired => Interlocked.Read(ref _fired);

        public bool Matches(string routeName, string path, string name) =>
            _route.IsMatch(routeName) && _worker.IsMatch(_workerByPath ? path : name);

        public bool CountAndDecide()
        {
            long n = Interlocked.Increment(ref _calls);
            bool fire;
            if (rule.Nth > 0)
            {
                fire = n == rule.Nth;
            }
            else if (rule.Every > 0)
            {
                fire = n % rule.Every == 0;
            }
            else if (rule.Probability is { } probability)
            {
                fire = probability > 0 && Draw(probability);
            }
            else
            {
                fire = true;
            }

            if (fire)
            {
                Interlocked.Increment(ref _fired);
            }

            return fire;
        }

        private bool Draw(double probability)
        {
            lock (random)
            {
                return random.NextDouble() < probability;
            }
        }
    }
}
