using System.Text.Json;
using ActorHost.Gateway.Cli;

namespace ActorHost.Gateway.Tests.Cli;

public sealed class HoconCommandTests
{
    [Fact]
    public void Secrets_taken_from_the_environment_with_env_are_redacted_like_in_actorhost_config()
    {
        // A name of its own, so no other test (or the machine) can have set it.
        string variable = "ACTORHOST_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        string file = Path.Combine(Path.GetTempPath(), $"hocon-command-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, $$"""
            actorhost.management.token = ${{{variable}}}
            actorhost.cluster.connection-string = "Host=db;Password="${{{variable}}}
            actorhost.management.urls = ["http://127.0.0.1:8558"]
            """);
        Environment.SetEnvironmentVariable(variable, "s3cr3t-from-env");
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            int exit = HoconCommand.Run([file, "--env"], stdout, stderr);

            Assert.Equal(0, exit);
            Assert.Equal("", stderr.ToString());
            string printed = stdout.ToString();
            Assert.DoesNotContain("s3cr3t-from-env", printed, StringComparison.Ordinal);
            JsonElement actorhost = JsonDocument.Parse(printed).RootElement.GetProperty("actorhost");
            Assert.Equal(SecretRedactor.Redacted, actorhost.GetProperty("management").GetProperty("token").GetString());
            Assert.Equal("Host=db;Password=<redacted>", actorhost.GetProperty("cluster").GetProperty("connection-string").GetString());
            Assert.Equal("http://127.0.0.1:8558", actorhost.GetProperty("management").GetProperty("urls")[0].GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            File.Delete(file);
        }
    }
}
