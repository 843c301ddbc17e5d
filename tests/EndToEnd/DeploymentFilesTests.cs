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
            Path.Combine(Deploy, "kubernetes"), Path.Combine(Deploy, "compose.yaml"));

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
        Assert.Matches("(?m)^RestartPreventExitStatus=78$", unit);
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
