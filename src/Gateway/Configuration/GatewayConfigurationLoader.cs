using ActorHost.Cluster;
using ActorHost.Gateway.Shutdown;
using ActorHost.Hocon;
using ActorHost.Workers.Configuration;
using ActorHost.Workers.Registration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorHost.Gateway.Configuration;

/// <summary>
/// Reads the configuration the way the executable does: <c>reference.conf</c> and <c>actorhost.conf</c>
/// from the shipped <c>hocon/</c> folder, then every <c>--config</c> file in order (later wins); then checks
/// it all at once — unknown keys and wrong types against reference.conf (routes and strategies against their
/// templates), the worker runtime's rules (worker and strategy names, exception types, ranges) and the host's
/// own — so that one run reports every problem with its file:line.
/// </summary>
internal static class GatewayConfigurationLoader
{
    public const string ReferenceFileName = "reference.conf";
    public const string ApplicationFileName = "actorhost.conf";

    private static readonly ConfigValidationOptions Validation = new()
    {
        RestrictToPaths = ["actorhost"],
        // Durations, sizes and paths are strings in reference.conf: an object or a list there is a mistake,
        // reported here with its file:line:column rather than by whichever reader meets it first.
        StrictStrings = true,
        RejectUnknownKeysUnder = ["actorhost"],
        OpenMaps = new Dictionary<string, string>
        {
            ["actorhost.routes"] = "actorhost.route-defaults",
            ["actorhost.supervision.strategies"] = "actorhost.supervision.strategy-defaults",
        },
    };

    /// <summary>The folder with the shipped files, next to the executable.</summary>
    public static string ShippedDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>Loads and validates; on failure the result lists every problem as <c>file:line:column: path: message</c>.</summary>
    /// <param name="shippedDirectory">Where reference.conf and actorhost.conf are.</param>
    /// <param name="userFiles">The <c>--config</c> files, in order.</param>
    /// <param name="registerWorkers">Registers the workers the routes may name (the same call the host makes).</param>
    public static GatewayConfigurationResult Load(string shippedDirectory, IReadOnlyList<string> userFiles, Action<IServiceCollection, Config> registerWorkers)
    {
        ArgumentNullException.ThrowIfNull(userFiles);
        ArgumentNullException.ThrowIfNull(registerWorkers);
        string referenceFile = Path.Combine(shippedDirectory, ReferenceFileName);
        string applicationFile = Path.Combine(shippedDirectory, ApplicationFileName);
        var problems = new List<string>();
        foreach (string file in (string[])[referenceFile, applicationFile, .. userFiles])
        {
            if (!File.Exists(file))
            {
                problems.Add(Directory.Exists(file)
                    ? $"{file}: is a directory; --config takes a file"
                    : $"{file}: the configuration file does not exist");
            }
        }

        if (problems.Count > 0)
        {
            return new GatewayConfigurationResult(null, problems);
        }

        Config config;
        Config reference;
        try
        {
            reference = ConfigFactory.ParseFile(referenceFile).Resolve(HoconResolveOptions.Default);
            config = ConfigFactory.Load(referenceFile, [applicationFile, .. userFiles]);
        }
        catch (HoconException e)
        {
            // A syntax or substitution error stops the reading: nothing after it can be trusted.
            return new GatewayConfigurationResult(null, [e.Message]);
        }

        var seenPaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (ValidationProblem problem in ConfigValidator.Validate(config, reference, Validation))
        {
            seenPaths.Add(problem.Path);
            problems.Add(problem.ToString());
        }

        WorkerRegistry registry = BuildRegistry(config, registerWorkers, out ConfigProblem? registrationProblem);
        WorkerOptionsBinding workers = WorkerOptionsBinder.Bind(config, registry);
        (GatewaySettings settings, IReadOnlyList<ConfigProblem> hostProblems) = GatewaySettingsBinder.Bind(config);
        (ShutdownOptions shutdown, IReadOnlyList<ConfigProblem> shutdownProblems) = ShutdownOptionsBinder.Bind(config);
        (ClusterOptions cluster, IReadOnlyList<ConfigProblem> clusterProblems) = ClusterOptionsBinder.Bind(config);
        IEnumerable<ConfigProblem> workerProblems = workers.Problems;
        if (registrationProblem is not null)
        {
            // The registry is incomplete, so "unknown worker" for every route would only hide the real problem.
            workerProblems = workerProblems.Where(p => !IsRouteWorker(p.Path)).Prepend(registrationProblem);
        }

        IEnumerable<ConfigProblem> bindingProblems = workerProblems.Concat(hostProblems).Concat(shutdownProblems).Concat(clusterProblems);

        // A value of the wrong type is reported by the validator and again by a binder; say it once.
        foreach (ConfigProblem problem in bindingProblems)
        {
            if (!seenPaths.Contains(problem.Path))
            {
                problems.Add(problem.ToString());
            }
        }

        // ASP.NET Core reads the same files as an IConfiguration (Logging, Kestrel ...): two settings that flatten to
        // one key there (they differ only in case) are refused by the provider, and reported here with the rest.
        IConfiguration? aspNetConfiguration = null;
        try
        {
            aspNetConfiguration = new ConfigurationBuilder().AddHocon(config).Build();
        }
        catch (HoconException e)
        {
            problems.Add(e.Message);
        }

        return problems.Count > 0 || aspNetConfiguration is null
            ? new GatewayConfigurationResult(null, problems)
            : new GatewayConfigurationResult(
                new GatewayConfiguration(config, settings, workers.Options, [referenceFile, applicationFile, .. userFiles], shutdown, cluster, aspNetConfiguration), []);
    }

    private static bool IsRouteWorker(string path) =>
        path.StartsWith("actorhost.routes.", StringComparison.Ordinal) && path.EndsWith(".worker", StringComparison.Ordinal);

    /// <summary>
    /// The registry the routes are checked against: the one the host will build (an empty one if no worker is
    /// registered at all). Registration reads its own settings (e.g. <c>actorhost.samples</c>); a value it
    /// cannot read is a configuration problem, not a crash.
    /// </summary>
    private static WorkerRegistry BuildRegistry(Config config, Action<IServiceCollection, Config> registerWorkers, out ConfigProblem? problem)
    {
        problem = null;
        var services = new ServiceCollection();
        services.AddActorHostWorkers(_ => { });
        try
        {
            registerWorkers(services, config);
        }
        catch (HoconException e)
        {
            string path = e is HoconWrongTypeException { Path.Length: > 0 } wrongType ? wrongType.Path : "actorhost";
            problem = new ConfigProblem(path, e.Detail, e.Origin?.ToString());
        }

        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<WorkerRegistry>();
    }
}

/// <summary>The configuration, or every problem that keeps the gateway from starting.</summary>
/// <param name="Configuration">Null when there are problems.</param>
/// <param name="Problems">Each as <c>file:line:column: message</c>.</param>
internal sealed record GatewayConfigurationResult(GatewayConfiguration? Configuration, IReadOnlyList<string> Problems);
