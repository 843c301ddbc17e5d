using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorHost.EndToEnd;

/// <summary>
/// The benchmark harness (bench/run.sh) is not run here — benchmarks are not tests. Its --self-test mode checks
/// that the script starts and parses its own wrk output into the ratio summary, without wrk, a build or any load;
/// and every harness script (and test.sh) passes shellcheck.
/// </summary>
public sealed partial class BenchHarnessTests
{
    [Fact]
    public async Task Run_sh_self_test_parses_canned_wrk_output_and_ends_with_the_summary_line()
    {
        var script = Path.Combine(GatewayProcess.RepositoryRoot, "bench", "run.sh");
        var start = new ProcessStartInfo("bash", [script, "--self-test"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(guard.Token);

        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"self-test exited {process.ExitCode}: {await stderr}{output}");
        var lines = output.TrimEnd().Split('\n');
        Assert.Contains("self-test ok", lines);
        Assert.Matches(SummaryLine(), lines[^1]);
    }

    [Theory]
    [InlineData("bench/run.sh")]
    [InlineData("bench/cpu-ab.sh")]
    [InlineData("bench/cluster.sh")]
    [InlineData("bench/lib.sh")]
    [InlineData("test.sh")]
    public async Task The_harness_scripts_pass_shellcheck(string script)
    {
        // ./test.sh installs shellcheck (a Debian package) before it runs the tests.
        var start = new ProcessStartInfo("shellcheck", ["--external-sources", script])
        {
            WorkingDirectory = GatewayProcess.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("shellcheck did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);

        Assert.True(process.ExitCode == 0, $"shellcheck {script} exited {process.ExitCode}: {await stdout}{await stderr}");
    }

    [GeneratedRegex(@"^ratio echo-throughput=\d\.\d\d echo-p99=\d+\.\d\d counter-throughput=\d\.\d\d fail10-throughput=\d\.\d\d$")]
    private static partial Regex SummaryLine();
}
