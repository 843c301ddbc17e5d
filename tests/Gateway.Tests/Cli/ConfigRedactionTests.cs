using System.Text.Json;
using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Tests.Infrastructure;

namespace ActorHost.Gateway.Tests.Cli;

public sealed class ConfigRedactionTests
{
    [Fact]
    public void The_management_token_the_cluster_secret_and_the_database_password_are_never_printed()
    {
        string json = """
            {"actorhost": {
              "management": {"token": "t0ps3cret", "urls": ["http://127.0.0.1:8558"]},
              "cluster": {"secret": "0123456789abcdef0123456789abcdef", "enabled": true,
                          "connection-string": "Host=db;Username=actorhost;Password=hunter2;Database=actorhost"}
            }}
            """;

        string printed = SecretRedactor.Redact(json);

        Assert.DoesNotContain("t0ps3cret", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", printed, StringComparison.Ordinal);
        JsonElement actorhost = JsonDocument.Parse(printed).RootElement.GetProperty("actorhost");
        Assert.Equal("<redacted>", actorhost.GetProperty("management").GetProperty("token").GetString());
        Assert.Equal("<redacted>", actorhost.GetProperty("cluster").GetProperty("secret").GetString());
        Assert.Equal("Host=db;Username=actorhost;Password=<redacted>;Database=actorhost",
            actorhost.GetProperty("cluster").GetProperty("connection-string").GetString());
        Assert.Equal("http://127.0.0.1:8558", actorhost.GetProperty("management").GetProperty("urls")[0].GetString());
    }

    [Fact]
    public void Empty_secrets_stay_empty_so_the_output_still_shows_they_are_unset()
    {
        string printed = SecretRedactor.Redact("""{"actorhost": {"management": {"token": ""}, "cluster": {"secret": ""}}}""");

        JsonElement actorhost = JsonDocument.Parse(printed).RootElement.GetProperty("actorhost");
        Assert.Equal("", actorhost.GetProperty("management").GetProperty("token").GetString());
        Assert.Equal("", actorhost.GetProperty("cluster").GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Numeric_secrets_are_redacted_too()
    {
        string file = await ConfigFiles.WriteAsync("""
            actorhost.management.token = 987654321987654321
            actorhost.cluster.secret = 12345678901234567890123456789012345
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        int exitCode = await GatewayCommandLine.InvokeAsync(["config", "--config", file], stdout, stderr);

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("987654321987654321", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("12345678901234567890123456789012345", stdout.ToString(), StringComparison.Ordinal);
        JsonElement actorhost = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("actorhost");
        Assert.Equal("<redacted>", actorhost.GetProperty("management").GetProperty("token").GetString());
    }

    [Theory]
    [InlineData("Host=db;Password='hunter2;tail';Database=actorhost", "hunter2", "tail")]
    [InlineData("Host=db;Password=\"hunter2;tail\";Database=actorhost", "hunter2", "tail")]
    [InlineData("Host=db;PWD=hunter2;Database=actorhost", "hunter2", "hunter2")]
    [InlineData("Host=db;PSW=hunter2;Database=actorhost", "hunter2", "hunter2")]
    [InlineData("Host=db;Password=hunter2", "hunter2", "hunter2")]
    public void A_database_password_is_redacted_whole_however_it_is_quoted(string connection, string secret, string tail)
    {
        string printed = SecretRedactor.Redact(JsonSerializer.Serialize(new { actorhost = new { cluster = new { connection_string = connection } } })
            .Replace("connection_string", "connection-string", StringComparison.Ordinal));

        Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(tail, printed, StringComparison.Ordinal);
        string redacted = JsonDocument.Parse(printed).RootElement.GetProperty("actorhost").GetProperty("cluster").GetProperty("connection-string").GetString()!;
        Assert.Contains("Host=db", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<redacted>", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_secrets_and_tokens_are_redacted_anywhere_in_the_tree()
    {
        string printed = SecretRedactor.Redact("""
            {"Kestrel": {"Certificates": {"Default": {"Path": "cert.pfx", "Password": "pfx-pass"}}},
             "ConnectionStrings": {"Main": "Host=db;Password=conn-pass"},
             "app": {"api-token": ["list-token"], "client-secret": {"value": "nested-secret"}, "name": "visible"}}
            """);

        Assert.DoesNotContain("pfx-pass", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("conn-pass", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("list-token", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("nested-secret", printed, StringComparison.Ordinal);
        Assert.Contains("cert.pfx", printed, StringComparison.Ordinal);
        Assert.Contains("visible", printed, StringComparison.Ordinal);
    }
}
