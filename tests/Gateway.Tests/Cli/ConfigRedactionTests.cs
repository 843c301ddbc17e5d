using System.Text.Json;
using ActorHost.Gateway.Cli;

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

        string printed = ConfigCommand.Redact(json);

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
        string printed = ConfigCommand.Redact("""{"actorhost": {"management": {"token": ""}, "cluster": {"secret": ""}}}""");

        JsonElement actorhost = JsonDocument.Parse(printed).RootElement.GetProperty("actorhost");
        Assert.Equal("", actorhost.GetProperty("management").GetProperty("token").GetString());
        Assert.Equal("", actorhost.GetProperty("cluster").GetProperty("secret").GetString());
    }
}
