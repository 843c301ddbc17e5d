using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ActorHost.Gateway.Configuration;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// <c>actorhost config [--config FILE]...</c>: prints the effective configuration — reference.conf, then
/// actorhost.conf, then each file, resolved — as indented JSON and exits 0; with problems it lists them all
/// on stderr and exits 78, exactly as a start would. Secrets (the management token, the cluster secret, a
/// password inside the cluster's connection string) are printed as <c>"&lt;redacted&gt;"</c>: this output ends
/// up in terminals, tickets and CI logs.
/// </summary>
internal static partial class ConfigCommand
{
    private const string Redacted = "<redacted>";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(IReadOnlyList<string> configFiles, TextWriter stdout, TextWriter stderr)
    {
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(GatewayConfigurationLoader.ShippedDirectory, configFiles, GatewayWorkers.Register);
        if (result.Configuration is null)
        {
            ConfigurationProblems.Write(stderr, result.Problems);
            return Hosting.GatewayExitCode.BadConfiguration;
        }

        stdout.WriteLine(Redact(result.Configuration.Config.ToJson(indented: true)));
        return Hosting.GatewayExitCode.CleanStop;
    }

    internal static string Redact(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject root || root["actorhost"] is not JsonObject actorhost)
        {
            return json;
        }

        RedactValue(actorhost["management"] as JsonObject, "token");
        if (actorhost["cluster"] is JsonObject cluster)
        {
            RedactValue(cluster, "secret");
            if (cluster["connection-string"] is JsonValue value && value.TryGetValue(out string? connection))
            {
                cluster["connection-string"] = Password().Replace(connection, "${key}=" + Redacted);
            }
        }

        return root.ToJsonString(Indented);
    }

    private static void RedactValue(JsonObject? section, string key)
    {
        if (section?[key] is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0)
        {
            section[key] = Redacted;
        }
    }

    [GeneratedRegex("(?<key>password|pwd)\\s*=\\s*[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Password();
}
