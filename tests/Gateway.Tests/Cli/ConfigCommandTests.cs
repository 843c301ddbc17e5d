using System.Text.Json;
using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>The configuration as the executable reads it: layering, the <c>config</c> command, and the one message listing every problem.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public async Task Config_command_prints_the_layered_configuration_as_JSON_with_later_files_winning()
    {
        string first = await TempConf("actorhost.routes.echo.instances = 3\nactorhost.gateway.retry-after = 7s");
        string second = await TempConf("actorhost.routes.echo.instances = 5");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", first, "--config", second], stdout, stderr);

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(stdout.ToString());
        JsonElement actorhost = json.RootElement.GetProperty("actorhost");
        Assert.Equal(5, actorhost.GetProperty("routes").GetProperty("echo").GetProperty("instances").GetInt32());
        Assert.Equal("7s", actorhost.GetProperty("gateway").GetProperty("retry-after").GetString());
        Assert.Equal("/counter/{id}/{**action}", actorhost.GetProperty("routes").GetProperty("counter").GetProperty("path").GetString());
        Assert.Equal(70, actorhost.GetProperty("root").GetProperty("exit-code").GetInt32());
        Assert.Empty(stderr.ToString());
    }

    [Fact]
    public async Task Bad_configuration_lists_every_problem_with_file_and_line_and_exits_78()
    {
        string bad = await TempConf("""
            actorhost {
              gateway.urls = 5
              gateway.bogus = 1
              routes.echo.worker = nope
              routes.echo.supervision = missing
              routes.counter.timeout = soon
              supervision.strategies.odd.decider = [{ exception = "No.Such.Exception", directive = resume }]
              root.on-escalation = panic
              logging.stack-traces = sometimes
              logging.stack-trace-window = 0s
            }
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", bad], stdout, stderr);
        string[] lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(78, exitCode);
        Assert.Empty(stdout.ToString());
        Assert.Contains(lines, l => l.StartsWith(bad + ":2", StringComparison.Ordinal) && l.Contains("urls", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":3", StringComparison.Ordinal) && l.Contains("bogus", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":4", StringComparison.Ordinal) && l.Contains("nope", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":5", StringComparison.Ordinal) && l.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":6", StringComparison.Ordinal) && l.Contains("timeout", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":7", StringComparison.Ordinal) && l.Contains("No.Such.Exception", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":8", StringComparison.Ordinal) && l.Contains("panic", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":9", StringComparison.Ordinal) && l.Contains("sometimes", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(bad + ":10", StringComparison.Ordinal) && l.Contains("stack-trace-window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_config_file_is_a_configuration_problem()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", "/no/such/file.conf"], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("/no/such/file.conf", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hocon_subcommand_still_prints_one_file_resolved()
    {
        string file = await TempConf("a = 1\nb = ${a}");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["hocon", file], stdout, stderr);

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(1, json.RootElement.GetProperty("b").GetInt32());
    }

    [Fact]
    public void Shipped_configuration_is_valid_and_mounts_the_sample_routes()
    {
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [], GatewayWorkers.Register);

        Assert.Empty(result.Problems);
        Assert.Equal(["counter", "echo", "partial", "slow", "stream"], result.Configuration!.Workers.Routes.Keys.Order());
        Assert.Equal(["http://127.0.0.1:8080"], result.Configuration.Settings.Gateway.Urls);
        Assert.Equal(16, result.Configuration.Workers.Routes["echo"].Instances);
    }

    private static async Task<string> TempConf(string text)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("actorhost-cli-").FullName, "test.conf");
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
