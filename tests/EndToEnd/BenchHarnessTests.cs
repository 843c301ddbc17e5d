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
        (int exitCode, string output, string errors) = await RunAsync("bash", "bench/run.sh", "--self-test");

        Assert.True(exitCode == 0, $"self-test exited {exitCode}: {errors}{output}");
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
        (int exitCode, string output, string errors) = await RunAsync("shellcheck", "--external-sources", script);

        Assert.True(exitCode == 0, $"shellcheck {script} exited {exitCode}: {output}{errors}");
    }

    /// <summary>Runs a program in the repository root; the timeout is a failure guard.</summary>
    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = GatewayProcess.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await output, await errors);
    }

    [GeneratedRegex(@"^ratio echo-throughput=\d\.\d\d echo-p99=\d+\.\d\d counter-throughput=\d\.\d\d fail10-throughput=\d\.\d\d$")]
    private static partial Regex SummaryLine();
}
