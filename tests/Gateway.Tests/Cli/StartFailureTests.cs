using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

/// <summary>
/// A gateway that cannot start exits 1 with one line on stderr saying why (README, exit codes). An https
/// listener without a usable certificate used to escape as System.CommandLine's "Unhandled exception" with a
/// stack trace, because only an IOException (an address in use) was caught.
/// </summary>
public sealed class StartFailureTests
{
    // A failure guard only: the start fails at once; should it start after all, the test fails instead of hanging.
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_https_listener_whose_certificate_cannot_be_loaded_exits_1_with_one_line()
    {
        string certificate = Path.Combine(Directory.CreateTempSubdirectory("actorhost-cert-").FullName, "bad.pfx");
        await File.WriteAllTextAsync(certificate, "not a certificate");
        string file = await ConfigFiles.WriteAsync($$"""
            actorhost.management.urls = ["http://127.0.0.1:0"]
            Kestrel.Certificates.Default { Path = "{{certificate}}", Password = "wrong" }
            """);

        (int exitCode, string stderr) = await RunAsync(file, "https://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        AssertOneClearLine(stderr);
    }

    [Fact]
    public async Task An_https_listener_without_a_certificate_exits_1_with_one_line()
    {
        string file = await ConfigFiles.WriteAsync("""actorhost.management.urls = ["http://127.0.0.1:0"]""");

        (int exitCode, string stderr) = await RunAsync(file, "https://127.0.0.1:0");

        Assert.Equal(1, exitCode);
        AssertOneClearLine(stderr);
        Assert.Contains("certificate", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_address_in_use_exits_1_with_one_line()
    {
        using var occupied = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        int port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port;
        string file = await ConfigFiles.WriteAsync("""actorhost.management.urls = ["http://127.0.0.1:0"]""");

        (int exitCode, string stderr) = await RunAsync(file, $"http://127.0.0.1:{port}");

        Assert.Equal(1, exitCode);
        AssertOneClearLine(stderr);
        Assert.Contains("address already in use", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_reason_adds_the_inner_message_only_when_it_says_more_and_stays_on_one_line()
    {
        var wrapped = new InvalidOperationException("Unable to configure HTTPS endpoint.", new FileNotFoundException("bad.pfx not found"));
        var repeated = new IOException("Failed to bind: address already in use.", new IOException("Address already in use"));
        var multiLine = new InvalidOperationException("No certificate.\nTo generate one run 'dotnet dev-certs https'.");

        Assert.Equal("Unable to configure HTTPS endpoint: bad.pfx not found", StartFailure.Describe(wrapped));
        Assert.Equal("Failed to bind: address already in use.", StartFailure.Describe(repeated));
        Assert.Equal("No certificate. To generate one run 'dotnet dev-certs https'.", StartFailure.Describe(multiLine));
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string configFile, string urls)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exitCode = await GatewayCommandLine.InvokeAsync(["--config", configFile, "--urls", urls], stdout, stderr).WaitAsync(StartGuard);
        return (exitCode, stderr.ToString());
    }

    private static void AssertOneClearLine(string stderr)
    {
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("actorhost: could not start: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", stderr, StringComparison.Ordinal);
    }
}
