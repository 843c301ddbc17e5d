using ActorHost.Gateway.Cli;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>A command line the parser refuses exits 64 (EX_USAGE), never 1 ("could not start", which supervisors retry).</summary>
public sealed class CommandLineUsageTests
{
    [Fact]
    public async Task Mistyped_option_exits_64_with_the_parsers_message_and_starts_nothing()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--confg", "my.conf"], stdout, stderr);

        Assert.Equal(64, exitCode);
        Assert.Contains("--confg", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Option_without_its_value_exits_64()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--urls"], stdout, stderr);

        Assert.Equal(64, exitCode);
        Assert.Contains("--urls", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_still_exits_0()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--help"], stdout, stderr);

        Assert.Equal(0, exitCode);
        Assert.Contains("--config", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(stderr.ToString());
    }
}
