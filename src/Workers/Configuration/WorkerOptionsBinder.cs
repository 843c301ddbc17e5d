using ActorHost.Hocon;
using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;

namespace ActorHost.Workers.Configuration;

/// <summary>
/// Binds <see cref="WorkerRuntimeOptions"/> from the <c>actorhost</c> section of a resolved configuration:
/// each <c>routes.&lt;name&gt;</c> over <c>route-defaults</c>, each <c>supervision.strategies.&lt;name&gt;</c>
/// over <c>strategy-defaults</c>, <c>supervision.route-supervisors</c>, <c>actors.*</c> and <c>faults.*</c>.
/// It never stops at the first problem: bad types, bad words, unknown worker or strategy names, bad exception
/// type names and out-of-range numbers are all returned together, each with its path and file:line.
/// </summary>
public static class WorkerOptionsBinder
{
    private static readonly HashSet<string> RuleKeys =
        ["route", "worker", "point", "nth", "every", "probability", "after-bytes", "exception", "message", "exit-code", "hang-limit"];

    private static readonly HashSet<string> DeciderKeys = ["exception", "directive"];

    /// <summary>Binds and validates.</summary>
    /// <param name="config">The resolved configuration (with the <c>actorhost</c> root key).</param>
    /// <param name="registry">The registered workers (route <c>worker</c> names are checked against it).</param>
    /// <returns>The options (best effort where there are problems) and every problem found.</returns>
    public static WorkerOptionsBinding Bind(Config config, WorkerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registry);
        var binding = new BindingContext();
        Config root = Section(config, "actorhost", binding) ?? Config.Empty;

        Config? routeDefaults = Section(root, "route-defaults", binding, "actorhost.route-defaults");
        Config? strategyDefaults = Section(root, "supervision.strategy-defaults", binding, "actorhost.supervision.strategy-defaults");

        var routes = new Dictionary<string, RouteOptions>(StringComparer.Ordinal);
        foreach ((string name, ConfigSection section) in Entries(root, "routes", routeDefaults, binding))
        {
            routes[name] = BindRoute(name, section);
        }

        var strategies = new Dictionary<string, SupervisionStrategyOptions>(StringComparer.Ordinal);
        foreach ((string name, ConfigSection section) in Entries(root, "supervision.strategies", strategyDefaults, binding))
        {
            strategies[name] = BindStrategy(name, section);
        }

        if (!root.HasPath("supervision.strategies"))
        {
            foreach ((string name, SupervisionStrategyOptions strategy) in WorkerRuntimeOptions.DefaultStrategies())
            {
                strategies[name] = strategy;
            }
        }

        var supervision = new ConfigSection(Section(root, "supervision", binding) ?? Config.Empty, "actorhost.supervision", null, binding);
        var actors = new ConfigSection(Section(root, "actors", binding) ?? Config.Empty, "actorhost.actors", null, binding);
        var mailbox = new ConfigSection(Section(root, "actors.mailbox", binding) ?? Config.Empty, "actorhost.actors.mailbox", null, binding);
        var faults = new ConfigSection(Section(root, "faults", binding) ?? Config.Empty, "actorhost.faults", null, binding);

        var options = new WorkerRuntimeOptions
        {
            Routes = routes,
            Strategies = strategies,
            RouteSupervisors = supervision.String("route-supervisors", "escalate"),
            Throughput = actors.Int("throughput", 30),
            InlineDispatch = actors.Boolean("inline-dispatch", true),
            Mailbox = new WorkerMailboxOptions
            {
                Type = mailbox.Word("type", MailboxKind.Unbounded),
                Capacity = mailbox.Int("capacity", 1000),
                Overflow = mailbox.Word("overflow", MailboxOverflowMode.Reject),
            },
            Faults = new FaultOptions
            {
                Enabled = faults.Boolean("enabled", false),
                Seed = faults.Int("seed", 0),
                Rules = [.. faults.ObjectList("rules").Select(BindRule)],
            },
        };

        // Semantic checks run on the bound values; problems already reported for a path are not repeated.
        var reported = new HashSet<string>(binding.Problems.Select(p => p.Path), StringComparer.Ordinal);
        foreach (ConfigProblem problem in WorkerOptionsValidator.Validate(options, registry, path => binding.OriginOf(path)?.ToString()))
        {
            if (!reported.Contains(problem.Path))
            {
                binding.Add(problem);
            }
        }

        return new WorkerOptionsBinding(options, binding.Problems);
    }

    private static RouteOptions BindRoute(string name, ConfigSection route)
    {
        var defaults = new RouteOptions { Name = name, Path = string.Empty, Worker = string.Empty };
        return new RouteOptions
        {
            Name = name,
            Path = route.String("path", defaults.Path),
            Methods = [.. route.StringList("methods", defaults.Methods).Select(m => m.ToUpperInvariant())],
            Worker = route.String("worker", defaults.Worker),
            Mode = route.Word("mode", defaults.Mode),
            EntityKey = route.String("entity-key", defaults.EntityKey),
            PassivateAfter = route.Duration("passivate-after", defaults.PassivateAfter),
            Instances = route.Int("instances", defaults.Instances),
            Router = route.Word("router", defaults.Router),
            HashKey = route.String("hash-key", defaults.HashKey),
            Supervision = route.String("supervision", defaults.Supervision),
            Timeout = route.Duration("timeout", defaults.Timeout),
            StuckAfter = route.Duration("stuck-after", defaults.StuckAfter),
            HandlerMode = route.Word("handler-mode", defaults.HandlerMode),
        };
    }

    private static SupervisionStrategyOptions BindStrategy(string name, ConfigSection strategy)
    {
        var rules = new List<DeciderRule>();
        foreach (ConfigSection rule in strategy.ObjectList("decider"))
        {
            rule.RejectUnknownKeys(DeciderKeys);
            if (!rule.Has("exception"))
            {
                rule.Problem("exception", "every decider rule needs an exception type name (or \"*\")");
            }

            if (!rule.Has("directive"))
            {
                rule.Problem("directive", "every decider rule needs a directive (resume, restart, stop or escalate)");
            }

            rules.Add(new DeciderRule(rule.String("exception", "*"), rule.Word("directive", SupervisionDirective.Restart)));
        }

        return new SupervisionStrategyOptions
        {
            Name = name,
            Type = strategy.Word("type", StrategyKind.OneForOne),
            MaxNrOfRetries = strategy.Int("max-nr-of-retries", -1),
            WithinTimeRange = strategy.Duration("within-time-range", Timeout.InfiniteTimeSpan),
            Decider = rules.Count > 0 || strategy.Has("decider") ? rules : [new DeciderRule("*", SupervisionDirective.Restart)],
            Origin = strategy.OriginOf("decider")?.ToString(),
        };
    }

    private static FaultRule BindRule(ConfigSection rule)
    {
        rule.RejectUnknownKeys(RuleKeys);
        var defaults = new FaultRule();
        return new FaultRule
        {
            Route = rule.String("route", defaults.Route),
            Worker = rule.String("worker", defaults.Worker),
            Point = rule.Word("point", defaults.Point),
            Nth = rule.Long("nth", defaults.Nth),
            Every = rule.Long("every", defaults.Every),
            Probability = rule.Has("probability") ? rule.Double("probability", 0) : null,
            AfterBytes = rule.Long("after-bytes", defaults.AfterBytes),
            Exception = rule.String("exception", defaults.Exception),
            Message = rule.String("message", defaults.Message),
            ExitCode = rule.Int("exit-code", defaults.ExitCode),
            HangLimit = rule.Duration("hang-limit", defaults.HangLimit),
            Origin = rule.OriginOf("point")?.ToString() ?? rule.OriginOf("route")?.ToString(),
        };
    }

    /// <summary>The entries of an open map (<c>routes</c>, <c>supervision.strategies</c>), each over its defaults.</summary>
    private static IEnumerable<(string Name, ConfigSection Section)> Entries(Config root, string path, Config? defaults, BindingContext binding)
    {
        if (Section(root, path, binding) is not { } map)
        {
            yield break;
        }

        // The host also exposes the configuration as IConfiguration, whose keys ignore case: two entries whose
        // names differ only in case could not both be there.
        var names = new Dictionary<string, (string Name, HoconOrigin Origin)>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, HoconValue value) in map.Root)
        {
            // `actorhost.routes.slow = null` in a later file removes an entry an earlier one (the shipped
            // actorhost.conf, say) defined.
            if (value is HoconNull)
            {
                continue;
            }

            string at = $"actorhost.{path}.{name}";
            if (names.TryGetValue(name, out var same))
            {
                binding.Add(new ConfigProblem(at, $"the name differs only in case from '{same.Name}' ({same.Origin}); names must differ in more than case", value.Origin.ToString()));
                continue;
            }

            names.Add(name, (name, value.Origin));
            if (value is not HoconObject entry)
            {
                binding.Add(new ConfigProblem(at, $"expected an object, found {value.Type.ToString().ToLowerInvariant()}", value.Origin?.ToString()));
                continue;
            }

            Config layered = defaults is null ? new Config(entry) : new Config(entry).WithFallback(defaults);
            yield return (name, new ConfigSection(layered, at, entry.Origin, binding, new Config(entry)));
        }
    }

    /// <summary>The object at <paramref name="path"/>, or null (with a problem when it is there but not an object).</summary>
    private static Config? Section(Config config, string path, BindingContext binding, string? fullPath = null)
    {
        if (!config.HasPath(path))
        {
            return null;
        }

        string at = fullPath ?? (path == "actorhost" ? path : $"actorhost.{path}");
        try
        {
            Config section = config.GetConfig(path);
            binding.RecordOrigin(at, section.Root.Origin);
            return section;
        }
        catch (HoconException e)
        {
            binding.Add(new ConfigProblem(at, e.Detail, e.Origin?.ToString()));
            return null;
        }
    }
}

/// <summary>The result of <see cref="WorkerOptionsBinder.Bind"/>.</summary>
/// <param name="Options">The bound options (defaults where a value was bad; use only when <see cref="IsValid"/>).</param>
/// <param name="Problems">Every problem found, in configuration order.</param>
public sealed record WorkerOptionsBinding(WorkerRuntimeOptions Options, IReadOnlyList<ConfigProblem> Problems)
{
    /// <summary>True when there is no problem.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>The options, or a <see cref="WorkerConfigurationException"/> listing every problem.</summary>
    public WorkerRuntimeOptions OrThrow() => IsValid ? Options : throw new WorkerConfigurationException(Problems);
}
