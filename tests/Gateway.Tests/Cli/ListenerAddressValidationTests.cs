using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>
/// Listener addresses are checked the way Kestrel reads them: one it cannot bind used to pass <c>actorhost
/// config</c> and then kill the start with an unhandled exception (exit 1, a stack trace, no file:line).
/// </summary>
public sealed class ListenerAddressValidationTests
{
    [Theory]
    [InlineData("actorhost.gateway.urls = [\"http://127.0.0.1:99999\"]", "actorhost.gateway.urls", "port 99999 is out of range")]
    [InlineData("actorhost.management.urls = [\"http://127.0.0.1:70000\"]", "actorhost.management.urls", "port 70000 is out of range")]
    [InlineData("actorhost.gateway.urls = [\"http://\"]", "actorhost.gateway.urls", "\"http://\"")]
    [InlineData("actorhost.gateway.urls = [\"http://:8080\"]", "actorhost.gateway.urls", "\"http://:8080\"")]
    [InlineData("actorhost.gateway.urls = [\"http://127.0.0.1:8080/base\"]", "actorhost.gateway.urls", "has a path")]
    [InlineData("actorhost.gateway.urls = [\"ftp://127.0.0.1:21\"]", "actorhost.gateway.urls", "not an http:// or https:// address")]
    public async Task An_address_Kestrel_cannot_bind_is_a_configuration_problem(string line, string path, string reason)
    {
        string file = await ConfigFiles.WriteAsync(line);

        string problem = Assert.Single(ConfigFiles.Problems(file));

        Assert.StartsWith(file + ":1:", problem, StringComparison.Ordinal);
        Assert.Contains(path, problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://[::1]:8080")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("http://127.0.0.1")]
    public async Task Addresses_Kestrel_binds_are_accepted(string url)
    {
        string file = await ConfigFiles.WriteAsync($"actorhost.gateway.urls = [\"{url}\"]");

        Assert.Empty(ConfigFiles.Problems(file));
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("http://127.0.0.1:99999")]
    public async Task A_bad_urls_option_exits_78_before_anything_listens(string urls)
    {
        string file = await ConfigFiles.WriteAsync("actorhost.management.urls = [\"http://127.0.0.1:5232\"]");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", file, "--urls", "http://127.0.0.1:5233;" + urls], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("(1 problem)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains($"--urls: \"{urls}\"", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_urls_option_is_reported_in_the_same_message_as_the_configuration_problems()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.management.urls = ["http://127.0.0.1:5234"]
            actorhost.gateway.developmen = on
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", file, "--urls", "foo"], stdout, stderr);

        Assert.Equal(78, exitCode);
        Assert.Contains("(2 problems)", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("developmen", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--urls: \"foo\"", stderr.ToString(), StringComparison.Ordinal);
    }
}
