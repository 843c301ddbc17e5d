using Microsoft.Extensions.Configuration;

namespace ActorHost.Hocon;

/// <summary>A HOCON file as an <see cref="IConfiguration"/> source (see <see cref="HoconConfigurationExtensions.AddHoconFile(IConfigurationBuilder, string, bool, bool)"/>).</summary>
public sealed class HoconConfigurationSource : FileConfigurationSource
{
    /// <summary>How substitutions are resolved; <see cref="HoconResolveOptions.Default"/> (environment fallback) when null.</summary>
    public HoconResolveOptions? ResolveOptions { get; set; }

    /// <inheritdoc />
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new HoconConfigurationProvider(this);
    }
}
