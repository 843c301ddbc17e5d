using ActorHost.Workers.Faults;
using ActorHost.Workers.Options;
using ActorHost.Workers.Registration;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ActorHost.Workers.Configuration;

/// <summary>
/// Checks <see cref="WorkerRuntimeOptions"/> for everything that would fail later (unknown worker or strategy
/// names, bad exception type names, out-of-range numbers) and returns every problem, not just the first.
/// </summary>
public static class WorkerOptionsValidator
{
    private static readonly string[] KnownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"];

    /// <summary>Validates <paramref name="options"/> against the registered workers.</summary>
    /// <param name="options">The options.</param>
    /// <param name="registry">The registered workers.</param>
    /// <param name="originOf">Where a config path was defined (file:line), for the messages; null when built in code.</param>
    public static IReadOnlyList<ConfigProblem> Validate(WorkerRuntimeOptions options, WorkerRegistry registry, Func<string, string?>? originOf = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        var problems = new ProblemList(originOf);

        foreach ((string name, RouteOptions route) in options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            ValidateRoute(name, route, options, registry, problems);
        }

        ReportOverlappingRoutes(options.Routes, problems);

        foreach ((string name, SupervisionStrategyOptions strategy) in options.Strategies.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            ValidateStrategy($"actorhost.supervision.strategies.{name}", strategy, problems);
        }

        if (!options.Strategies.ContainsKey(options.RouteSupervisors))
        {
            problems.Add("actorhost.supervision.route-supervisors", $"unknown strategy \"{options.RouteSupervisors}\"{Known(options.Strategies.Keys)}");
        }

        if (options.Throughput < 1)
        {
            problems.Add("actorhost.actors.throughput", $"must be at least 1 (is {options.Throughput})");
        }

        if (options.Mailbox.Type == MailboxKind.Bounded && options.Mailbox.Capacity < 1)
        {
            problems.Add("actorhost.actors.mailbox.capacity", $"must be at least 1 (is {options.Mailbox.Capacity})");
        }

        // Requests are delivered with a non-blocking send: a request that waited for room would only hold its
        // connection, a larger mailbox by another name. Refused rather than silently treated as reject.
        if (options.Mailbox.Overflow == MailboxOverflowMode.BackPressure)
        {
            problems.Add("actorhost.actors.mailbox.overflow",
                "back-pressure is not supported for request mailboxes; use reject (503 + Retry-After) with a larger capacity");
        }

        for (int i = 0; i < options.Faults.Rules.Count; i++)
        {
            foreach ((string key, string message) in FaultRuleValidator.Validate(options.Faults.Rules[i]))
            {
                problems.Add($"actorhost.faults.rules.{i}.{key}", message);
            }
        }

        return problems.Items;
    }

    private static void ValidateRoute(string name, RouteOptions route, WorkerRuntimeOptions options, WorkerRegistry registry, ProblemList problems)
    {
        string at = $"actorhost.routes.{name}";
        if (!IsValidRouteName(name))
        {
            problems.Add(at, "a route name must be non-empty, must not start with '$' and must not contain '/', whitespace or control characters");
        }

        RoutePattern? pattern = null;
        if (string.IsNullOrWhiteSpace(route.Path))
        {
            problems.Add($"{at}.path", "a route template is required (e.g. \"/echo\")");
        }
        else if (!route.Path.StartsWith('/'))
        {
            problems.Add($"{at}.path", $"must start with '/' (is \"{route.Path}\")");
        }
        else if (!RouteTemplates.TryParse(route.Path, out pattern, out string? templateProblem))
        {
            problems.Add($"{at}.path", templateProblem);
        }

        if (route.Methods.Count == 0)
        {
            problems.Add($"{at}.methods", "at least one HTTP method is required");
        }

        foreach (string method in route.Methods)
        {
            if (!KnownMethods.Contains(method, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{at}.methods", $"unknown HTTP method \"{method}\"");
            }
        }

        if (string.IsNullOrWhiteSpace(route.Worker))
        {
            problems.Add($"{at}.worker", $"a registered worker name is required{KnownWorkers(registry)}");
        }
        else if (!registry.TryGet(route.Worker, out _))
        {
            problems.Add($"{at}.worker", $"unknown worker \"{route.Worker}\"{KnownWorkers(registry)}");
        }

        if (!Enum.IsDefined(route.Mode))
        {
            problems.Add($"{at}.mode", "must be pool or entity");
        }

        if (route.Mode == RouteMode.Pool && route.Instances < 1)
        {
            problems.Add($"{at}.instances", $"must be at least 1 (is {route.Instances})");
        }

        if (route.Mode == RouteMode.Entity)
        {
            if (string.IsNullOrWhiteSpace(route.EntityKey))
            {
                problems.Add($"{at}.entity-key", "an entity route needs the name of the route value that holds the key");
            }
            else if (pattern is not null && pattern.GetParameter(route.EntityKey) is null)
            {
                problems.Add($"{at}.entity-key", $"the template \"{route.Path}\" has no parameter \"{route.EntityKey}\"");
            }

            if (route.PassivateAfter <= TimeSpan.Zero && route.PassivateAfter != Timeout.InfiniteTimeSpan)
            {
                problems.Add($"{at}.passivate-after", "must be positive or infinite");
            }
            else if (route.PassivateAfter > RouteOptions.MaxDuration)
            {
                problems.Add($"{at}.passivate-after", TooLongForATimer(route.PassivateAfter));
            }
        }

        if (route.Mode == RouteMode.Pool && route.Router == RouterKind.ConsistentHash && string.IsNullOrWhiteSpace(route.HashKey))
        {
            problems.Add($"{at}.hash-key", "consistent-hash needs a route value or header name to hash on");
        }

        if (!Enum.IsDefined(route.Router))
        {
            problems.Add($"{at}.router", "must be round-robin, least-busy or consistent-hash");
        }

        if (!options.Strategies.ContainsKey(route.Supervision))
        {
            problems.Add($"{at}.supervision", $"unknown strategy \"{route.Supervision}\"{Known(options.Strategies.Keys)}");
        }

        if (route.Timeout <= TimeSpan.Zero && route.Timeout != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{at}.timeout", "must be positive or infinite");
        }
        else if (route.Timeout > RouteOptions.MaxDuration)
        {
            problems.Add($"{at}.timeout", TooLongForATimer(route.Timeout));
        }

        if (route.StuckAfter < TimeSpan.Zero && route.StuckAfter != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{at}.stuck-after", "must not be negative");
        }
        else if (route.StuckAfter > RouteOptions.MaxDuration)
        {
            problems.Add($"{at}.stuck-after", TooLongForATimer(route.StuckAfter));
        }

        if (!Enum.IsDefined(route.HandlerMode))
        {
            problems.Add($"{at}.handler-mode", "must be detached or cancel-on-disconnect");
        }
    }

    // Two routes with the same template shape and a common method make ASP.NET fail every such request with an
    // ambiguous match (an empty 500): the later route (configuration order) is reported, naming the earlier one.
    private static void ReportOverlappingRoutes(IReadOnlyDictionary<string, RouteOptions> routes, ProblemList problems)
    {
        var earlier = new List<(string Name, string Shape, IReadOnlyList<string> Methods)>();
        foreach ((string name, RouteOptions route) in routes)
        {
            if (!route.Path.StartsWith('/') || !RouteTemplates.TryParse(route.Path, out RoutePattern? pattern, out _))
            {
                continue;
            }

            string shape = RouteTemplates.Shape(pattern);
            foreach ((string otherName, string otherShape, IReadOnlyList<string> otherMethods) in earlier)
            {
                string[] common = [.. route.Methods.Intersect(otherMethods, StringComparer.OrdinalIgnoreCase)];
                if (common.Length > 0 && string.Equals(shape, otherShape, StringComparison.Ordinal))
                {
                    problems.Add($"actorhost.routes.{name}.path",
                        $"\"{route.Path}\" matches the same {string.Join(", ", common)} requests as route \"{otherName}\" " +
                        $"(\"{routes[otherName].Path}\"): every such request would fail as ambiguous");
                    break;
                }
            }

            earlier.Add((name, shape, route.Methods));
        }
    }

    private static void ValidateStrategy(string at, SupervisionStrategyOptions strategy, ProblemList problems)
    {
        if (strategy.MaxNrOfRetries < -1)
        {
            problems.Add($"{at}.max-nr-of-retries", $"must be -1 (no limit) or at least 0 (is {strategy.MaxNrOfRetries})");
        }

        if (strategy.WithinTimeRange <= TimeSpan.Zero && strategy.WithinTimeRange != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{at}.within-time-range", "must be positive or infinite");
        }

        if (strategy.Decider.Count == 0)
        {
            problems.Add($"{at}.decider", "at least one rule is required (e.g. { exception = \"*\", directive = restart })");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < strategy.Decider.Count; i++)
        {
            DeciderRule rule = strategy.Decider[i];
            string ruleAt = $"{at}.decider.{i}";
            if (!Enum.IsDefined(rule.Directive))
            {
                problems.Add($"{ruleAt}.directive", "must be resume, restart, stop or escalate");
            }

            if (rule.Exception == "*")
            {
                if (!seen.Add("*"))
                {
                    problems.Add($"{ruleAt}.exception", "\"*\" appears twice");
                }

                continue;
            }

            if (!ExceptionTypes.TryResolve(rule.Exception, out Type? type, out string? problem))
            {
                problems.Add($"{ruleAt}.exception", problem);
            }
            else if (!seen.Add(type.FullName ?? rule.Exception))
            {
                problems.Add($"{ruleAt}.exception", $"{type.FullName} has two rules");
            }
        }
    }

    // A passivation tick, a request deadline or a stuck watch is a timer; a longer wait would throw when the first
    // request arms it (an escalation to the root, or a 500 for every request), so it is refused here instead.
    private static string TooLongForATimer(TimeSpan value) =>
        $"must be at most {RouteOptions.MaxDuration.TotalDays:0} days, or infinite (is {value}): a timer cannot wait longer";

    internal static bool IsValidRouteName(string name) =>
        name.Length > 0 && name[0] != '$' && !name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c));

    private static string KnownWorkers(WorkerRegistry registry) =>
        registry.Names.Count == 0 ? " (no worker is registered: call services.AddActorHostWorkers(...))" : Known(registry.Names);

    private static string Known(IEnumerable<string> names)
    {
        string[] list = [.. names.Order(StringComparer.Ordinal)];
        return list.Length == 0 ? " (none are defined)" : $" (known: {string.Join(", ", list)})";
    }

    private sealed class ProblemList(Func<string, string?>? originOf)
    {
        public List<ConfigProblem> Items { get; } = [];

        public void Add(string path, string message) => Items.Add(new ConfigProblem(path, message, OriginOf(path)));

        // The most specific path that has an origin: a missing key points at its enclosing object.
        private string? OriginOf(string path)
        {
            if (originOf is null)
            {
                return null;
            }

            for (string? p = path; p is not null; p = Parent(p))
            {
                if (originOf(p) is { } origin)
                {
                    return origin;
                }
            }

            return null;
        }

        private static string? Parent(string path)
        {
            int dot = path.LastIndexOf('.');
            return dot < 0 ? null : path[..dot];
        }
    }
}
