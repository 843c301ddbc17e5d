using ActorHost.Gateway.Cli;
using ActorHost.Gateway.Configuration;

namespace ActorHost.Gateway.Tests.Infrastructure;

/// <summary>Writes a test configuration file and loads it the way the executable does (over the shipped hocon/ folder).</summary>
internal static class ConfigFiles
{
    /// <summary>A new file holding <paramref name="text"/>, in its own temporary folder.</summary>
    public static async Task<string> WriteAsync(string text)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("actorhost-config-").FullName, "test.conf");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>The problems of reference.conf + actorhost.conf + <paramref name="file"/>.</summary>
    public static IReadOnlyList<string> Problems(string file) =>
        GatewayConfigurationLoader.Load(RepositoryPaths.Hocon, [file], GatewayWorkers.Register).Problems;
}
