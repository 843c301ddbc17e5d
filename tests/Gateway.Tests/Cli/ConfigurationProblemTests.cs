using System.Text.RegularExpressions;
using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>
/// Whatever a start refuses, <c>actorhost config</c> refuses too, in the same one message, each problem with
/// the file:line:column the user has to edit.
/// </summary>
public sealed class ConfigurationProblemTests
{
    [Fact]
    public async Task Config_command_rejects_bad_shutdown_and_cluster_values_as_a_start_would()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.shutdown.grace = 2h
            actorhost.cluster { enabled = on, number-of-shards = 0 }
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", file], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Empty(stdout.ToString());
        Assert.Contains($"{file}:1:28: actorhost.shutdown.grace", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("actorhost.cluster.number-of-shards", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_reports_shutdown_problems_in_the_same_message_as_every_other_problem()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.gateway.developmen = on
            actorhost.shutdown.grace = 2h
            actorhost.management.urls = ["http://127.0.0.1:5230"]
            actorhost.gateway.urls = ["http://127.0.0.1:5231"]
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", file], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("(2 problems)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("developmen", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("actorhost.shutdown.grace", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_ASP_NET_settings_differing_only_in_case_are_a_problem_not_a_crash()
    {
        string file = await ConfigFiles.WriteAsync("""
            Logging.LogLevel { Default = Warning, default = Debug }
            actorhost.management.urls = ["http://127.0.0.1:5232"]
            actorhost.gateway.urls = ["http://127.0.0.1:5233"]
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // The start (which hands the same files to ASP.NET Core as an IConfiguration) refuses it before listening.
        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", file], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains($"{file}:1:", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Logging:LogLevel:default", stderr.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_missing_file_and_a_directory_given_as_config_are_told_apart()
    {
        string missing = Path.Combine(Path.GetTempPath(), "actorhost-no-such-" + Guid.NewGuid().ToString("N") + ".conf");
        string directory = Path.GetTempPath();

        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [missing, directory], GatewayWorkers.Register);

        Assert.Equal([$"{missing}: the configuration file does not exist", $"{directory}: is a directory; --config takes a file"], result.Problems);
    }

    [Fact]
    public async Task The_loaded_configuration_carries_the_shutdown_and_cluster_options()
    {
        string file = await ConfigFiles.WriteAsync("actorhost.shutdown.grace = 7s");

        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [file], GatewayWorkers.Register);

        Assert.Empty(result.Problems);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Configuration!.Shutdown.Grace);
        Assert.False(result.Configuration.Cluster.Enabled);
    }

    [Theory]
    [InlineData("actorhost.samples.stop-marker-dir { a = 1 }", "actorhost.samples.stop-marker-dir")]
    [InlineData("actorhost.samples.stop-marker-dir = [a, b]", "actorhost.samples.stop-marker-dir")]
    [InlineData("actorhost.management.token { a = 1 }", "actorhost.management.token")]
    public async Task A_string_setting_given_an_object_or_a_list_is_a_problem_not_a_crash(string line, string path)
    {
        string file = await ConfigFiles.WriteAsync(line);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", file], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("(1 problem)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Matches(new Regex("  " + Regex.Escape(file) + @":1:\d+: .*" + Regex.Escape(path)), stderr.ToString());
    }

    // Timeout.InfiniteTimeSpan is -1 ms: before, -1ms (or -1, or -1000us) silently meant "no limit".
    [Theory]
    [InlineData("actorhost.routes.echo.timeout = -1ms", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.echo.timeout = -1", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.echo.timeout = -1000us", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.echo.timeout = -2ms", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.counter.passivate-after = -1ms", "actorhost.routes.counter.passivate-after")]
    [InlineData("actorhost.routes.echo.stuck-after = -1ms", "actorhost.routes.echo.stuck-after")]
    [InlineData("actorhost.supervision.strategies.s { within-time-range = -1ms }", "actorhost.supervision.strategies.s.within-time-range")]
    [InlineData("actorhost.faults.rules = [{ route = echo, point = hang, hang-limit = -1ms }]", "actorhost.faults.rules.0.hang-limit")]
    [InlineData("actorhost.shutdown.grace = -1ms", "actorhost.shutdown.grace")]
    [InlineData("actorhost.gateway.retry-after = -1ms", "actorhost.gateway.retry-after")]
    public async Task A_negative_duration_is_refused_even_when_it_equals_the_infinite_timeout(string line, string path)
    {
        string file = await ConfigFiles.WriteAsync(line);

        string problem = Assert.Single(ConfigFiles.Problems(file));

        Assert.StartsWith(file + ":1:", problem, StringComparison.Ordinal);
        Assert.Contains(path, problem, StringComparison.Ordinal);
    }

    // Each of these passed validation before and broke at run time: a timer that cannot wait that long (the first
    // entity request escalated to the root, exit 70; or every request a 500), or a mailbox mode requests ignore.
    [Theory]
    [InlineData("actorhost.routes.counter.passivate-after = 60d", "actorhost.routes.counter.passivate-after")]
    [InlineData("actorhost.routes.echo.timeout = 60d", "actorhost.routes.echo.timeout")]
    [InlineData("actorhost.routes.echo.stuck-after = 60d", "actorhost.routes.echo.stuck-after")]
    [InlineData("actorhost.actors.mailbox { type = bounded, overflow = back-pressure }", "actorhost.actors.mailbox.overflow")]
    public async Task A_value_that_would_break_at_run_time_stops_the_start_with_exit_78_and_its_place(string line, string path)
    {
        string file = await ConfigFiles.WriteAsync($"""
            {line}
            actorhost.management.urls = ["http://127.0.0.1:19350"]
            actorhost.gateway.urls = ["http://127.0.0.1:19351"]
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", file], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("(1 problem)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Matches(new Regex(Regex.Escape(file) + @":1:\d+: " + Regex.Escape(path)), stderr.ToString());
    }

    [Fact]
    public async Task Infinite_is_still_accepted_where_the_reference_allows_it()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.routes.echo { timeout = infinite, stuck-after = infinite }
            actorhost.routes.counter.passivate-after = infinite
            """);

        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [file], GatewayWorkers.Register);

        Assert.Empty(result.Problems);
        Assert.Equal(Timeout.InfiniteTimeSpan, result.Configuration!.Workers.Routes["echo"].Timeout);
    }

    [Fact]
    public async Task Every_problem_names_its_column()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.gateway.developmen = on
            actorhost.gateway.retry-after = 2d
            actorhost.routes.echo.worker = nope
            actorhost.shutdown.grace = 2h
            """);

        IReadOnlyList<string> problems = ConfigFiles.Problems(file);

        Assert.Equal(4, problems.Count);
        Assert.All(problems, p => Assert.Matches(new Regex("^" + Regex.Escape(file) + @":\d+:\d+: "), p));
        Assert.Contains(problems, p => p.StartsWith(file + ":1:32: ", StringComparison.Ordinal) && p.Contains("developmen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_a_route_leaves_to_the_template_is_reported_where_the_route_is_defined()
    {
        string file = await ConfigFiles.WriteAsync("\nactorhost.routes.x { worker = echo }");

        string problem = Assert.Single(ConfigFiles.Problems(file));

        Assert.StartsWith(file + ":2:", problem, StringComparison.Ordinal);
        Assert.Contains("actorhost.routes.x.path", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_object_actorhost_is_reported_once_under_its_own_path()
    {
        string file = await ConfigFiles.WriteAsync("actorhost = 5");

        IReadOnlyList<string> problems = ConfigFiles.Problems(file);

        Assert.Single(problems, p => p.Contains("actorhost", StringComparison.Ordinal) && p.StartsWith(file, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("actorhost.actorhost", StringComparison.Ordinal));
    }
}
