using System.Diagnostics;

namespace ActorHost.EndToEnd;

/// <summary>A stop signal that arrives while the gateway is still starting (a rollout cancelled, a pod evicted at once).</summary>
public sealed class StartupSignalTests
{
    private const int ShutdownFinished = 305;
    private const int RuntimeStarted = 4112;

    [Fact]
    public async Task Sigterm_while_the_configuration_loads_abandons_the_start_with_one_line_and_exits_0()
    {
        // A named pipe as the --config file holds the gateway inside the configuration load (its open blocks until a
        // writer comes): a sync point in the product's own path, after the signal handlers and before the host exists.
        string directory = Directory.CreateTempSubdirectory("actorhost-e2e-").FullName;
        string pipe = Path.Combine(directory, "held.conf");
        using (Process mkfifo = Process.Start("mkfifo", [pipe])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await using GatewayProcess gateway = GatewayProcess.Start("--config", GatewayProcess.TestConfig(), "--config", pipe);
        await using (FileStream writer = await Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Write)).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            // The gateway has the pipe open: it is reading its configuration.
            await gateway.SignalAsync("TERM");
            try
            {
                await writer.WriteAsync("actorhost.shutdown.grace = 2s\n"u8.ToArray());
                await writer.FlushAsync();
            }
            catch (IOException)
            {
                // Broken pipe: the gateway died of the signal; its exit code below says how.
            }
        }

        int exitCode = await gateway.WaitForExitAsync();

        // README: 0 = clean stop (SIGTERM, SIGINT). Before, the runtime's default action killed it: 143, not a word.
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {gateway.Stderr}");
        Assert.Contains("SIGTERM received while starting; the start was abandoned", gateway.Stderr, StringComparison.Ordinal);
        Assert.Empty(gateway.Records);
    }

    [Fact]
    public async Task Sigterm_while_the_host_starts_exits_0_after_the_shutdown_without_crashing()
    {
        await using GatewayProcess gateway = GatewayProcess.Start("--config", GatewayProcess.TestConfig("""
            actorhost.shutdown { grace = 1s, mercy = 1s, stop-workers = 1s }
            """));

        // The worker runtime is made when the host is built; the host then registers its signal handlers and starts
        // its services (management listener, then Kestrel). Its line reaches us while they start, or just after.
        await gateway.WaitForAsync(r => GatewayProcess.Event(r) == RuntimeStarted);
        await gateway.SignalAsync("TERM");
        int exitCode = await gateway.WaitForExitAsync();

        // Before, the phases ran while the host was still starting: stop-workers stopped a Kestrel that then started
        // anyway, and its heartbeat thread died on a disposed event (SIGABRT, 134).
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {gateway.Stderr}");
        Assert.DoesNotContain("Unhandled exception", gateway.Stdout + gateway.Stderr, StringComparison.Ordinal);
        Assert.True(gateway.Records.Any(r => GatewayProcess.Event(r) == ShutdownFinished) || gateway.Stderr.Contains("start was abandoned", StringComparison.Ordinal),
            "neither a finished shutdown nor an abandoned start: " + gateway.Stdout + gateway.Stderr);
    }
}
