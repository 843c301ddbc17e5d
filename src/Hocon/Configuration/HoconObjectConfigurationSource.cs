using Microsoft.Extensions.Configuration;

namespace ActorHost.Hocon;

/// <summary>An already loaded (and layered) <see cref="Config"/> as an <see cref="IConfiguration"/> source.</summary>
/// <param name="config">The configuration.</param>
public sealed class HoconObjectConfigurationSource(Config config) : IConfigurationSource
{
    /// <summary>The configuration.</summary>
    public Config Config { get; } = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(Config);

    private sealed class Provider(Config config) : ConfigurationProvider
    {
        public override void Load() => Data = HoconConfigurationFlattener.Flatten(config.Root);
    }
}
