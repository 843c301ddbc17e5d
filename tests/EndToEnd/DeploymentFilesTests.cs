using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ActorHost.EndToEnd;

/// <summary>
/// The files in <c>deploy/</c>: well-formed YAML (yamllint), consistent with each other, and — above all —
/// with stop timeouts that cover the shutdown phases their HOCON configures, read through the real
/// executable's <c>config</c> command. kubectl cannot dry-run without an API server, so the Kubernetes
/// objects are checked structurally here instead (see README "Deployment").
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(GatewayProcess.RepositoryRoot, "deploy");

    [Fact]
    public async Task Yaml_files_pass_yamllint()
    {
        (int code, string output) = await RunAsync("yamllint", "-c", Path.Combine(Deploy, ".yamllint.yaml"),
            Path.Combine(Deploy, "kubernetes"), Path.Combine(Deploy, "compose.yaml"), Path.Combine(Deploy, "compose.cluster.yaml"));

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Kubernetes_termination_grace_covers_prestop_plus_every_shutdown_phase_of_the_configmap()
    {
        JsonElement deployment = await SingleAsync("deployment.yaml", "Deployment");
        JsonElement configMap = await SingleAsync("configmap.yaml", "ConfigMap");
        JsonElement pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
        JsonElement container = pod.GetProperty("containers")[0];
        string[] preStop = [.. container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("exec").GetProperty("command").EnumerateArray().Select(e => e.GetString()!)];
        int preStopSeconds = int.Parse(preStop[1], CultureInfo.InvariantCulture);
        int terminationGrace = pod.GetProperty("terminationGracePeriodSeconds").GetInt32();

        string hocon = configMap.GetProperty("data").GetProperty("actorhost.conf").GetString()!;
        (TimeSpan budget, JsonElement effective) = await ShutdownBudgetAsync(hocon);

        Assert.Equal("sleep", preStop[0]);
        double needed = preStopSeconds + budget.TotalSeconds;
        Assert.True(terminationGrace >= needed, $"terminationGracePeriodSeconds {terminationGrace} < preStop {preStopSeconds} + shutdown budget {budget.TotalSeconds}");
        Assert.True(terminationGrace <= needed + 10, $"terminationGracePeriodSeconds {terminationGrace} is far above what the shutdown needs ({needed}); keep them in step");
        Assert.True(Seconds(effective.GetProperty("shutdown"), "drain-delay") > TimeSpan.Zero, "on Kubernetes the drain-delay should let endpoints forget the pod");

        // The deployment's comment writes the same arithmetic down.
        string text = await File.ReadAllTextAsync(Path.Combine(Deploy, "kubernetes", "deployment.yaml"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"terminationGracePeriodSeconds: {terminationGrace}"), text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"= {needed}"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_probes_ports_and_selectors_fit_together()
    {
        JsonElement deployment = await SingleAsync("deployment.yaml", "Deployment");
        JsonElement service = await SingleAsync("service.yaml", "Service");
        JsonElement budget = await SingleAsync("poddisruptionbudget.yaml", "PodDisruptionBudget");
        JsonElement configMap = await SingleAsync("configmap.yaml", "ConfigMap");
        JsonElement template = deployment.GetProperty("spec").GetProperty("template");
        JsonElement container = template.GetProperty("spec").GetProperty("containers")[0];
        Dictionary<string, int> ports = container.GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        string labels = template.GetProperty("metadata").GetProperty("labels").GetRawText();
        (_, JsonElement effective) = await ShutdownBudgetAsync(configMap.GetProperty("data").GetProperty("actorhost.conf").GetString()!);

        Assert.Equal("/ready", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("management", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.Equal("/alive", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("management", container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{ports["management"]}"), effective.GetProperty("management").GetProperty("urls")[0].GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{ports["http"]}"), effective.GetProperty("gateway").GetProperty("urls")[0].GetString());
        Assert.Equal("http", service.GetProperty("spec").GetProperty("ports")[0].GetProperty("targetPort").GetString());
        Assert.Equal(labels, service.GetProperty("spec").GetProperty("selector").GetRawText());
        Assert.Equal(labels, budget.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetRawText());
        Assert.Equal(labels, deployment.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetRawText());
        Assert.Equal("actorhost-config", template.GetProperty("spec").GetProperty("volumes")[0].GetProperty("configMap").GetProperty("name").GetString());
        Assert.Equal("actorhost-config", configMap.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Compose_stop_grace_period_covers_the_shutdown_phases_of_its_config()
    {
        JsonElement compose = (await ParseYamlAsync(Path.Combine(Deploy, "compose.yaml")))[0];
        JsonElement service = compose.GetProperty("services").GetProperty("actorhost");
        (TimeSpan budget, _) = await ShutdownBudgetAsync(await File.ReadAllTextAsync(Path.Combine(Deploy, "compose", "actorhost.conf")));

        Assert.Equal("SIGTERM", service.GetProperty("stop_signal").GetString());
        Assert.True(Duration(service.GetProperty("stop_grace_period").GetString()!) >= budget, $"stop_grace_period is below the shutdown budget {budget}");
    }

    [Fact]
    public async Task Systemd_unit_stops_with_sigterm_and_a_timeout_covering_the_default_shutdown_phases()
    {
        string unit = await File.ReadAllTextAsync(Path.Combine(Deploy, "systemd", "actorhost.service"));
        (TimeSpan budget, _) = await ShutdownBudgetAsync(string.Empty);
        int timeoutStop = int.Parse(TimeoutStopSec().Match(unit).Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.Matches("(?m)^KillSignal=SIGTERM$", unit);
        Assert.True(timeoutStop >= budget.TotalSeconds, $"TimeoutStopSec={timeoutStop} is below the default shutdown budget {budget}");
        Assert.Matches("(?m)^RestartPreventExitStatus=64 78$", unit);
    }

    [Fact]
    public async Task Dockerfile_is_multi_stage_runs_as_a_non_root_user_and_stops_with_sigterm()
    {
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(Deploy, "Dockerfile"));

        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "multi-stage: a build stage and a runtime stage");
        Assert.Contains("STOPSIGNAL SIGTERM", lines);
        string user = Assert.Single(lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"^USER 0(:|$)", user);
        Assert.Contains(lines, l => l.StartsWith("ENTRYPOINT [", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_image_is_built_from_sources_only_never_from_local_build_outputs()
    {
        // deploy/Dockerfile copies src/ from the repository root; a local bin/ or obj/ (with this machine's absolute
        // paths in project.assets.json) must not come along.
        string[] dockerfile = await File.ReadAllLinesAsync(Path.Combine(Deploy, "Dockerfile"));
        string[] ignored = [.. (await File.ReadAllLinesAsync(Path.Combine(GatewayProcess.RepositoryRoot, ".dockerignore")))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

        Assert.Contains("COPY src/ src/", dockerfile);
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    [Fact]
    public async Task Cluster_compose_runs_three_nodes_sharing_one_config_and_one_secret_with_distinct_identities()
    {
        JsonElement compose = (await ParseYamlAsync(Path.Combine(Deploy, "compose.cluster.yaml")))[0];
        JsonElement services = compose.GetProperty("services");
        JsonElement[] nodes = [.. services.EnumerateObject().Where(s => s.Name != "postgres").Select(s => s.Value)];
        (TimeSpan budget, JsonElement effective) = await ClusterShutdownBudgetAsync(await File.ReadAllTextAsync(Path.Combine(Deploy, "cluster.conf")));
        string Env(JsonElement node, string name) => node.GetProperty("environment").GetProperty(name).GetString()!;

        Assert.Equal(3, nodes.Length);
        Assert.Single(nodes.Select(n => n.GetProperty("volumes").GetRawText()).Distinct());
        Assert.Single(nodes.Select(n => n.GetProperty("command").GetRawText()).Distinct());
        Assert.Contains("./cluster.conf:/etc/actorhost/cluster.conf:ro", nodes[0].GetProperty("volumes").EnumerateArray().Select(v => v.GetString()));
        Assert.Single(nodes.Select(n => Env(n, "ACTORHOST_CLUSTER_SECRET")).Distinct());
        Assert.StartsWith("${ACTORHOST_CLUSTER_SECRET:?", Env(nodes[0], "ACTORHOST_CLUSTER_SECRET"), StringComparison.Ordinal);
        Assert.Single(nodes.Select(n => Env(n, "ACTORHOST_CLUSTER_CONNECTION_STRING")).Distinct());
        Assert.Contains("Host=postgres;", Env(nodes[0], "ACTORHOST_CLUSTER_CONNECTION_STRING"), StringComparison.Ordinal);
        Assert.Equal(3, nodes.Select(n => Env(n, "ACTORHOST_NODE_ID")).Distinct().Count());
        Assert.Equal(3, nodes.Select(n => Env(n, "ACTORHOST_CLUSTER_ADVERTISE_URL")).Distinct().Count());
        Assert.All(nodes, n => Assert.EndsWith(":9080", Env(n, "ACTORHOST_CLUSTER_ADVERTISE_URL"), StringComparison.Ordinal));
        Assert.Equal("http://0.0.0.0:9080", effective.GetProperty("cluster").GetProperty("internal-urls")[0].GetString());
        Assert.All(nodes, n => Assert.Equal("service_healthy", n.GetProperty("depends_on").GetProperty("postgres").GetProperty("condition").GetString()));
        Assert.All(nodes, n => Assert.Equal("SIGTERM", n.GetProperty("stop_signal").GetString()));
        Assert.All(nodes, n => Assert.True(Duration(n.GetProperty("stop_grace_period").GetString()!) >= budget,
            $"stop_grace_period is below leave + the shutdown phases of cluster.conf ({budget})"));
        Assert.StartsWith("postgres:", services.GetProperty("postgres").GetProperty("image").GetString(), StringComparison.Ordinal);
        // Nothing but the management port's loopback binding and the public port is published.
        Assert.All(nodes, n => Assert.All(n.GetProperty("ports").EnumerateArray(), p => Assert.DoesNotContain("9080", p.GetString(), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Cluster_conf_turns_the_cluster_on_and_takes_identity_and_secrets_from_the_environment()
    {
        string conf = await File.ReadAllTextAsync(Path.Combine(Deploy, "cluster.conf"));
        (_, JsonElement effective) = await ClusterShutdownBudgetAsync(conf);
        JsonElement cluster = effective.GetProperty("cluster");

        Assert.True(cluster.GetProperty("enabled").ToString() is "on" or "true" or "True", cluster.GetProperty("enabled").ToString());
        Assert.Equal(ClusterEnvironment["ACTORHOST_NODE_ID"], cluster.GetProperty("node-id").GetString());
        // `actorhost config` redacts the secret and the database password: "<redacted>" shows they were set (from
        // the environment, as the file's substitutions below prove); everything else of the connection string shows.
        Assert.Equal("<redacted>", cluster.GetProperty("secret").GetString());
        Assert.Equal(
            System.Text.RegularExpressions.Regex.Replace(ClusterEnvironment["ACTORHOST_CLUSTER_CONNECTION_STRING"], "(?i)(password|pwd)\\s*=\\s*[^;]*", "$1=<redacted>"),
            cluster.GetProperty("connection-string").GetString());
        Assert.Equal(ClusterEnvironment["ACTORHOST_CLUSTER_ADVERTISE_URL"], cluster.GetProperty("advertise-url").GetString());
        // The secret never sits in the file itself.
        Assert.Matches(@"(?m)^\s*secret = \$\{\?ACTORHOST_CLUSTER_SECRET\}\s*$", conf);
        Assert.Matches(@"(?m)^\s*connection-string = \$\{\?ACTORHOST_CLUSTER_CONNECTION_STRING\}\s*$", conf);
    }

    [Fact]
    public async Task Kubernetes_cluster_termination_grace_covers_prestop_leave_and_every_shutdown_phase()
    {
        JsonElement deployment = await SingleAsync(Path.Combine("cluster", "deployment.yaml"), "Deployment");
        JsonElement configMap = await SingleAsync(Path.Combine("cluster", "configmap.yaml"), "ConfigMap");
        JsonElement pod = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec");
        JsonElement container = pod.GetProperty("containers")[0];
        string[] preStop = [.. container.GetProperty("lifecycle").GetProperty("preStop").GetProperty("exec").GetProperty("command").EnumerateArray().Select(e => e.GetString()!)];
        int preStopSeconds = int.Parse(preStop[1], CultureInfo.InvariantCulture);
        int terminationGrace = pod.GetProperty("terminationGracePeriodSeconds").GetInt32();
        (TimeSpan budget, JsonElement effective) = await ClusterShutdownBudgetAsync(configMap.GetProperty("data").GetProperty("actorhost.conf").GetString()!);

        double needed = preStopSeconds + budget.TotalSeconds;
        Assert.Equal("sleep", preStop[0]);
        Assert.True(terminationGrace >= needed, $"terminationGracePeriodSeconds {terminationGrace} < preStop {preStopSeconds} + leave and shutdown budget {budget.TotalSeconds}");
        Assert.True(terminationGrace <= needed + 10, $"terminationGracePeriodSeconds {terminationGrace} is far above what the shutdown needs ({needed}); keep them in step");
        Assert.True(Seconds(effective.GetProperty("shutdown"), "drain-delay") > TimeSpan.Zero, "on Kubernetes the drain-delay should let endpoints forget the pod");
        string text = await File.ReadAllTextAsync(Path.Combine(Deploy, "kubernetes", "cluster", "deployment.yaml"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"terminationGracePeriodSeconds: {terminationGrace}"), text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"= {needed}"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_cluster_objects_fit_together_secret_services_ports_and_advertise_url()
    {
        JsonElement deployment = await SingleAsync(Path.Combine("cluster", "deployment.yaml"), "Deployment");
        JsonElement configMap = await SingleAsync(Path.Combine("cluster", "configmap.yaml"), "ConfigMap");
        JsonElement secret = await SingleAsync(Path.Combine("cluster", "secret.yaml"), "Secret");
        JsonElement[] services = await ParseYamlAsync(Path.Combine(Deploy, "kubernetes", "cluster", "service.yaml"));
        JsonElement[] postgres = await ParseYamlAsync(Path.Combine(Deploy, "kubernetes", "cluster", "postgres.yaml"));
        JsonElement template = deployment.GetProperty("spec").GetProperty("template");
        JsonElement container = template.GetProperty("spec").GetProperty("containers")[0];
        Dictionary<string, int> ports = container.GetProperty("ports").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
        Dictionary<string, JsonElement> env = container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        string labels = template.GetProperty("metadata").GetProperty("labels").GetRawText();
        (_, JsonElement effective) = await ClusterShutdownBudgetAsync(configMap.GetProperty("data").GetProperty("actorhost.conf").GetString()!);
        JsonElement headless = Assert.Single(services, s => s.GetProperty("spec").TryGetProperty("clusterIP", out JsonElement ip) && ip.GetString() == "None");
        JsonElement normal = Assert.Single(services, s => !s.GetProperty("spec").TryGetProperty("clusterIP", out _));
        string[] secretKeys = [.. secret.GetProperty("stringData").EnumerateObject().Select(p => p.Name)];
        string SecretKeyOf(string name) => env[name].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("key").GetString()!;

        Assert.Equal(3, deployment.GetProperty("spec").GetProperty("replicas").GetInt32());
        Assert.Equal("/ready", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("management", container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("port").GetString());
        Assert.Equal("status.podIP", env["POD_IP"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://$(POD_IP):{ports["internal"]}"), env["ACTORHOST_CLUSTER_ADVERTISE_URL"].GetProperty("value").GetString());
        Assert.Equal("metadata.name", env["ACTORHOST_NODE_ID"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        Assert.Contains(SecretKeyOf("ACTORHOST_CLUSTER_SECRET"), secretKeys);
        Assert.Contains(SecretKeyOf("ACTORHOST_CLUSTER_CONNECTION_STRING"), secretKeys);
        Assert.Equal(secret.GetProperty("metadata").GetProperty("name").GetString(),
            env["ACTORHOST_CLUSTER_SECRET"].GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{ports["internal"]}"), effective.GetProperty("cluster").GetProperty("internal-urls")[0].GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{ports["management"]}"), effective.GetProperty("management").GetProperty("urls")[0].GetString());
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{ports["http"]}"), effective.GetProperty("gateway").GetProperty("urls")[0].GetString());
        Assert.Equal("internal", headless.GetProperty("spec").GetProperty("ports")[0].GetProperty("targetPort").GetString());
        Assert.True(headless.GetProperty("spec").GetProperty("publishNotReadyAddresses").GetBoolean());
        Assert.Equal("http", normal.GetProperty("spec").GetProperty("ports")[0].GetProperty("targetPort").GetString());
        Assert.All(services, s => Assert.Equal(labels, s.GetProperty("spec").GetProperty("selector").GetRawText()));
        Assert.Equal(labels, deployment.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels").GetRawText());
        Assert.Equal(configMap.GetProperty("metadata").GetProperty("name").GetString(),
            template.GetProperty("spec").GetProperty("volumes")[0].GetProperty("configMap").GetProperty("name").GetString());
        // The optional try-out database is what the sample connection string points at.
        JsonElement database = Assert.Single(postgres, d => d.GetProperty("kind").GetString() == "StatefulSet");
        JsonElement databaseService = Assert.Single(postgres, d => d.GetProperty("kind").GetString() == "Service");
        Assert.Contains("Host=" + databaseService.GetProperty("metadata").GetProperty("name").GetString() + ";",
            secret.GetProperty("stringData").GetProperty("connection-string").GetString(), StringComparison.Ordinal);
        Assert.Equal(databaseService.GetProperty("metadata").GetProperty("name").GetString(), database.GetProperty("spec").GetProperty("serviceName").GetString());
    }

    [Fact]
    public async Task Cluster_local_script_is_valid_bash_and_starts_postgres_unprivileged_and_three_nodes_on_loopback()
    {
        string path = Path.Combine(Deploy, "cluster-local.sh");
        (int code, string output) = await RunAsync("bash", "-n", path);
        string script = await File.ReadAllTextAsync(path);

        Assert.True(code == 0, output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, "the script is executable");
        }

        Assert.StartsWith("#!/usr/bin/env bash\n", script, StringComparison.Ordinal);
        Assert.Contains("set -euo pipefail", script, StringComparison.Ordinal);
        Assert.Contains("setpriv --reuid=65534 --regid=65534 --clear-groups", script, StringComparison.Ordinal);
        Assert.Contains("/usr/lib/postgresql/*/bin", script, StringComparison.Ordinal);
        Assert.Contains("trap cleanup EXIT", script, StringComparison.Ordinal);
        Assert.Contains("kill -TERM", script, StringComparison.Ordinal);
        Assert.Contains("pg_ctl\" -D \"$pgdata\" -m fast -w stop", script, StringComparison.Ordinal);
        Assert.Contains("rm -rf \"$work\"", script, StringComparison.Ordinal);
        Assert.Contains("deploy/cluster.conf", script, StringComparison.Ordinal);
        foreach (string port in new[] { "http://127.0.0.1:808$i", "http://127.0.0.1:856$i", "http://127.0.0.1:908$i" })
        {
            Assert.Contains(port, script, StringComparison.Ordinal);
        }

        if (await HasShellcheckAsync())
        {
            (int lint, string findings) = await RunAsync("shellcheck", path);
            Assert.True(lint == 0, findings);
        }
    }

    /// <summary>What a node's environment supplies to <c>deploy/cluster.conf</c> (values only need to be well-formed).</summary>
    private static readonly Dictionary<string, string> ClusterEnvironment = new(StringComparer.Ordinal)
    {
        ["ACTORHOST_NODE_ID"] = "node-test",
        ["ACTORHOST_CLUSTER_ADVERTISE_URL"] = "http://10.1.2.3:9080",
        ["ACTORHOST_CLUSTER_CONNECTION_STRING"] = "Host=127.0.0.1;Port=5432;Username=actorhost;Password=x;Database=actorhost",
        ["ACTORHOST_CLUSTER_SECRET"] = "deployment-files-test-secret-0123456789abcdef",
    };

    /// <summary>
    /// Like <see cref="ShutdownBudgetAsync"/> for a cluster node: runs <c>actorhost config</c> with the node's
    /// environment set (the cluster keys come from it) and adds the leave phase (<c>shutdown.leave</c>, which
    /// runs only when the cluster is on).
    /// </summary>
    private static async Task<(TimeSpan Budget, JsonElement Actorhost)> ClusterShutdownBudgetAsync(string hocon)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("actorhost-deploy-").FullName, "cluster.conf");
        await File.WriteAllTextAsync(file, hocon);
        (int code, string stdout, string stderr) = await RunWithEnvironmentAsync(GatewayExecutable(), ClusterEnvironment, "config", "--config", file);
        Assert.True(code == 0, stderr);
        JsonElement actorhost = JsonDocument.Parse(stdout).RootElement.GetProperty("actorhost").Clone();
        JsonElement shutdown = actorhost.GetProperty("shutdown");
        TimeSpan budget = Seconds(shutdown, "leave") + Seconds(shutdown, "drain-delay") + Seconds(shutdown, "grace") + Seconds(shutdown, "mercy")
            + Seconds(shutdown, "stop-workers") + TimeSpan.FromSeconds(1);
        return (budget, actorhost);
    }

    /// <summary>The built gateway's app host (the same one <see cref="GatewayProcess"/> starts).</summary>
    private static string GatewayExecutable() => Path.Combine(GatewayProcess.OutputDirectory, "actorhost");

    private static async Task<bool> HasShellcheckAsync()
    {
        try
        {
            return (await RunAsync("shellcheck", "--version")).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunWithEnvironmentAsync(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs <c>actorhost config</c> over the HOCON (which validates it exactly as a start would) and returns
    /// drain-delay + grace + mercy + stop-workers + the 1 s exit margin, and the effective <c>actorhost</c> object.
    /// </summary>
    private static async Task<(TimeSpan Budget, JsonElement Actorhost)> ShutdownBudgetAsync(string hocon)
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("actorhost-deploy-").FullName, "deploy.conf");
        await File.WriteAllTextAsync(file, hocon);
        await using GatewayProcess config = GatewayProcess.Start("config", "--config", file);
        int code = await config.WaitForExitAsync();
        Assert.True(code == 0, config.Stderr);
        JsonElement actorhost = JsonDocument.Parse(config.Stdout).RootElement.GetProperty("actorhost").Clone();
        JsonElement shutdown = actorhost.GetProperty("shutdown");
        TimeSpan budget = Seconds(shutdown, "drain-delay") + Seconds(shutdown, "grace") + Seconds(shutdown, "mercy")
            + Seconds(shutdown, "stop-workers") + TimeSpan.FromSeconds(1);
        return (budget, actorhost);
    }

    private static TimeSpan Seconds(JsonElement shutdown, string key) => Duration(shutdown.GetProperty(key).GetString()!);

    private static TimeSpan Duration(string text)
    {
        Match match = DurationPattern().Match(text.Trim());
        Assert.True(match.Success, $"\"{text}\" is not a duration this test understands");
        double amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "m" or "min" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }

    private static async Task<JsonElement> SingleAsync(string file, string kind)
    {
        JsonElement[] documents = await ParseYamlAsync(Path.Combine(Deploy, "kubernetes", file));
        return Assert.Single(documents, d => d.GetProperty("kind").GetString() == kind);
    }

    private static async Task<JsonElement[]> ParseYamlAsync(string path)
    {
        const string ToJson = "import json, sys, yaml; json.dump(list(yaml.safe_load_all(open(sys.argv[1]))), sys.stdout)";
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        (int code, string output) = await RunAsync(python, "-c", ToJson, path);
        Assert.True(code == 0, output);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(ms|s|m|min)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(?m)^TimeoutStopSec=(\d+)$")]
    private static partial Regex TimeoutStopSec();
}
