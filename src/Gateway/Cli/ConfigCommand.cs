using ActorHost.Gateway.Configuration;

namespace ActorHost.Gateway.Cli;

/// <summary>
/// <c>actorhost config [--config FILE]...</c>: prints the effective configuration — reference.conf, then
/// actorhost.conf, then each file, resolved — as indented JSON and exits 0; with problems it lists them all
/// on stderr and exits 78, exactly as a start would. Secrets are printed as <c>"&lt;redacted&gt;"</c>
/// (<see cref="SecretRedactor"/>): this output ends up in terminals, tickets and CI logs.
/// </summary>
internal static class ConfigCommand
{
    public static int Run(IReadOnlyList<string> configFiles, TextWriter stdout, TextWriter stderr)
    {
        GatewayConfigurationResult result = GatewayConfigurationLoader.Load(GatewayConfigurationLoader.ShippedDirectory, configFiles, GatewayWorkers.Register);
        if (result.Configuration is null)
        {
            ConfigurationProblems.Write(stderr, result.Problems);
            return Hosting.GatewayExitCode.BadConfiguration;
        }

        stdout.WriteLine(SecretRedactor.Redact(result.Configuration.Config.ToJson(indented: true)));
        return Hosting.GatewayExitCode.CleanStop;
    }
}
