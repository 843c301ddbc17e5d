using ActorHost.Benchmarks.Hocon.Baseline.Raw;
using ActorHost.Benchmarks.Hocon.Baseline.Resolution;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// A parsed configuration whose substitutions are not resolved yet. Layer several with
/// <see cref="WithFallback(UnresolvedConfig)"/> (substitutions then see the whole stack), then call
/// <see cref="Resolve"/>. Immutable.
/// </summary>
internal sealed class UnresolvedConfig
{
    internal UnresolvedConfig(RawObject root)
    {
        Root = root;
    }

    /// <summary>An empty configuration.</summary>
    public static UnresolvedConfig Empty { get; } = new(new RawObject(HoconOrigin.Code));

    internal RawObject Root { get; }

    /// <summary>
    /// Layers this configuration over <paramref name="fallback"/>: this one's keys win, objects merge,
    /// and substitutions in either layer are resolved against the merged result.
    /// </summary>
    /// <param name="fallback">The lower-priority configuration.</param>
    public UnresolvedConfig WithFallback(UnresolvedConfig fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new UnresolvedConfig(RawMerge.MergeObjects(fallback.Root, Root, inPlace: false));
    }

    /// <summary>
    /// Layers this configuration over an already resolved one (the reference.conf pattern: the reference
    /// is resolved on its own first; this layer overrides it and may refer to its values).
    /// </summary>
    /// <param name="fallback">The lower-priority, resolved configuration.</param>
    public UnresolvedConfig WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new UnresolvedConfig(RawMerge.MergeObjects(RawObject.FromResolved(fallback.Root), Root, inPlace: false));
    }

    /// <summary>Resolves every substitution; throws <see cref="HoconException"/> naming file:line:column on failure.</summary>
    /// <param name="options">Environment fallback; <see cref="HoconResolveOptions.Default"/> when null.</param>
    public Config Resolve(HoconResolveOptions? options = null)
    {
        options ??= HoconResolveOptions.Default;
        return new Config(Resolver.Resolve(Root, options.EnvironmentVariables));
    }
}
