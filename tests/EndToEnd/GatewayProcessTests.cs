using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ActorHost.EndToEnd;

/// <summary>The <c>actorhost</c> executable as an operator runs it: exit codes, stderr, the log, real sockets.</summary>
public sealed class GatewayProcessTests
{
    [Fact]
    public async Task Bad_configuration_exits_78_listing_every_problem_with_file_and_line_and_nothing_listens()
    {
        int port = FreePort();
        string bad = GatewayProcess.TestConfig($$"""
            actorhost.gateway.urls = ["http://127.0.0.1:{{port}}"]
            actorhost.routes.echo.worker = no-such-worker
            actorhost.routes.counter.supervision = no-such-strategy
            actorhost.gateway.max-request-bodysize = 1 MiB
            """);
        await using GatewayProcess gateway = GatewayProcess.Start("--config", bad);

        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(78, exitCode);
        Assert.Contains($"{bad}:7", gateway.Stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-worker", gateway.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad}:8", gateway.Stderr, StringComparison.Ordinal);
        Assert.Contains("no-such-strategy", gateway.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad}:9", gateway.Stderr, StringComparison.Ordinal);
        Assert.Contains("max-request-bodysize", gateway.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Records, r => GatewayProcess.Event(r) == 104);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Fault_rule_with_an_exit_code_ends_the_process_with_it_and_its_Critical_line_reaches_the_log()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("--config", GatewayProcess.TestConfig("""
            actorhost.faults { enabled = on, rules = [{ route = counter, point = before-handle, exit-code = 42 }] }
            """));
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };

        // The process ends under the request: the client sees its connection go, not an answer.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("/counter/7/increment", null));
        int exitCode = await gateway.WaitForExitAsync();

        // The log is written in batches by a background thread: the exit must let the last batch out.
        Assert.Equal(42, exitCode);
        JsonElement critical = Assert.Single(gateway.Records, r => GatewayProcess.Event(r) == 4114);
        Assert.Equal("Critical", GatewayProcess.Field(critical, "LogLevel"));
        Assert.Equal("/user/routes/counter/7", GatewayProcess.State(critical, "Path"));
        Assert.Equal("42", GatewayProcess.State(critical, "ExitCode"));
    }

    [Fact]
    public async Task Root_escalation_answers_the_failing_request_500_logs_Critical_and_exits_70()
    {
        string escalate = Path.Combine(GatewayProcess.RepositoryRoot, "hocon", "examples", "escalate.conf");
        await using GatewayProcess gateway = GatewayProcess.Start("--config", escalate, "--config", GatewayProcess.TestConfig());
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };

        using HttpResponseMessage increment = await client.PostAsync("/counter/7/increment", null);
        using HttpResponseMessage failed = await client.PostAsync("/counter/7/fail", null);
        string problem = await failed.Content.ReadAsStringAsync();
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(HttpStatusCode.OK, increment.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("urn:actorhost:outcome:handler_failed", JsonDocument.Parse(problem).RootElement.GetProperty("type").GetString());
        Assert.Equal(70, exitCode);
        JsonElement critical = Assert.Single(gateway.Records, r => GatewayProcess.Event(r) == 102);
        Assert.Equal("Critical", GatewayProcess.Field(critical, "LogLevel"));
        Assert.Contains("InvalidOperationException", GatewayProcess.Field(critical, "Exception"), StringComparison.Ordinal);
        Assert.Contains(gateway.Records, r => GatewayProcess.Event(r) == 1 && GatewayProcess.State(r, "Outcome") == "handler_failed");
    }

    [Fact]
    public async Task Sigterm_stops_the_gateway_cleanly_with_exit_code_0()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("--config", GatewayProcess.TestConfig());
        using var client = new HttpClient { BaseAddress = await gateway.GatewayAddressAsync(), Timeout = TimeSpan.FromSeconds(30) };

        using HttpResponseMessage echo = await client.PostAsync("/echo", new StringContent("hi"));
        await gateway.SignalAsync("TERM");
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal("hi", await echo.Content.ReadAsStringAsync());
        Assert.Equal(0, exitCode);
        Assert.Contains(gateway.Records, r => GatewayProcess.Event(r) == 4113); // the worker runtime stopped
        Assert.DoesNotContain(gateway.Records, r => GatewayProcess.Field(r, "LogLevel") is "Error" or "Critical");
    }

    [Fact]
    public async Task The_gateway_watches_no_directory_outside_its_install_directory()
    {
        // The management listener once watched its working directory recursively for appsettings changes: a
        // watch per directory below (the whole repository here, the whole disk when started from /) and a
        // wake-up for every file written there, its own log included. Only the install directory, where the
        // gateway's appsettings.json lives, may be watched.
        await using GatewayProcess gateway = GatewayProcess.Start("--config", GatewayProcess.TestConfig());
        await gateway.GatewayAddressAsync();
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == 104 && GatewayProcess.State(r, "Listener") == "Management API");

        HashSet<long> watched = WatchedInodes(gateway.Id);
        var allowed = new HashSet<long>(Directory.GetDirectories(GatewayProcess.OutputDirectory, "*", SearchOption.AllDirectories)
            .Append(GatewayProcess.OutputDirectory).Select(InodeOf));

        Assert.NotEmpty(watched);
        Assert.DoesNotContain(InodeOf(GatewayProcess.RepositoryRoot), watched);
        Assert.Subset(allowed, watched);
    }

    private static HashSet<long> WatchedInodes(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (string fdInfo in Directory.GetFiles($"/proc/{pid}/fdinfo"))
        {
            string text;
            try
            {
                text = File.ReadAllText(fdInfo);
            }
            catch (IOException)
            {
                continue; // the descriptor closed while we looked
            }

            foreach (string line in text.Split('\n').Where(l => l.StartsWith("inotify ", StringComparison.Ordinal)))
            {
                string ino = line.Split(' ').Single(part => part.StartsWith("ino:", StringComparison.Ordinal))["ino:".Length..];
                inodes.Add(long.Parse(ino, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    private static long InodeOf(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        string output = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_executable_ships_its_runtime_settings_the_gen0_cap_and_no_tiering_delay()
    {
        // Both are runtime options in the csproj (README "Performance"): without the cap, 100,000 idle entities
        // cost ~180 MB instead of ~140 MB on hosts that report a large L3; without the delay, the hot path runs
        // unoptimised for the first 20-40 s of load. Nothing else would notice if either went missing.
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(GatewayProcess.OutputDirectory, "actorhost.runtimeconfig.json")));
        JsonElement properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(12 * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public async Task Config_command_prints_the_effective_configuration_and_exits_0()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("config", "--config", GatewayProcess.TestConfig("actorhost.routes.echo.instances = 3"));

        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(gateway.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("actorhost").GetProperty("routes").GetProperty("echo").GetProperty("instances").GetInt32());
    }

    [Fact]
    public async Task ASP_NET_console_formatter_setting_in_HOCON_switches_the_log_to_JSON()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("actorhost-e2e-").FullName, "aspnet.conf");
        await File.WriteAllTextAsync(path, """
            actorhost.gateway.urls = ["http://127.0.0.1:0"]
            actorhost.management.urls = ["http://127.0.0.1:0"]
            Logging.Console.FormatterName = json
            """);
        await using GatewayProcess gateway = GatewayProcess.Start("--config", path);

        Uri address = await gateway.GatewayAddressAsync();
        await gateway.SignalAsync("INT");
        int exitCode = await gateway.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.All(gateway.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("{", line, StringComparison.Ordinal));
    }

    /// <summary>
    /// A free port below the ephemeral range (32768 and up on Linux), so no outgoing connection of the parallel
    /// test run can take it between this check and the assertion that nothing listens on it.
    /// </summary>
    private static int FreePort()
    {
        for (int port = Random.Shared.Next(20_000, 30_000); ; port = Random.Shared.Next(20_000, 30_000))
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }
}
