using Microsoft.Extensions.Configuration;

namespace ActorHost.Hocon;

/// <summary>Adds HOCON to an <see cref="IConfigurationBuilder"/>, like <c>AddJsonFile</c>.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>Adds a required HOCON file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file, relative to the builder's file provider (the app base directory by default) or absolute.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path) =>
        AddHoconFile(builder, path, optional: false, reloadOnChange: false);

    /// <summary>Adds a HOCON file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file, relative to the builder's file provider (the app base directory by default) or absolute.</param>
    /// <param name="optional">Whether a missing file is acceptable.</param>
    /// <param name="reloadOnChange">Whether to reload when the file changes.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional, bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddHoconFile(source =>
        {
            source.Path = path;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a HOCON file configured by <paramref name="configureSource"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configureSource">Sets the path, optionality, reloading and resolve options.</param>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, Action<HoconConfigurationSource>? configureSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(configureSource);
    }

    /// <summary>Adds a configuration that is already loaded, layered and resolved.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="config">The configuration.</param>
    public static IConfigurationBuilder AddHocon(this IConfigurationBuilder builder, Config config)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HoconObjectConfigurationSource(config));
    }

    /// <summary>Parses and resolves HOCON text now and adds it.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="hocon">The text.</param>
    /// <param name="resolveOptions">Environment fallback; <see cref="HoconResolveOptions.Default"/> when null.</param>
    public static IConfigurationBuilder AddHoconString(this IConfigurationBuilder builder, string hocon, HoconResolveOptions? resolveOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(ConfigFactory.ParseString(hocon).Resolve(resolveOptions));
    }
}
