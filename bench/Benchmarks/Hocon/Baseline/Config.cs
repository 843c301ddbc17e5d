using ActorHost.Benchmarks.Hocon.Baseline.Syntax;

namespace ActorHost.Benchmarks.Hocon.Baseline;

/// <summary>
/// A resolved configuration with typed access by path (<c>"actorhost.gateway.retry-after"</c>; quote keys
/// that contain dots: <c>a."b.c"</c>). Immutable. Getters throw <see cref="HoconMissingException"/> for a
/// missing or null setting and <see cref="HoconWrongTypeException"/> (naming path, origin and expected type)
/// for a value of the wrong kind.
/// </summary>
internal sealed partial class Config
{
    /// <summary>Wraps a resolved object.</summary>
    /// <param name="root">The root object.</param>
    public Config(HoconObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
    }

    /// <summary>An empty configuration.</summary>
    public static Config Empty { get; } = new(HoconObject.Empty);

    /// <summary>The root object.</summary>
    public HoconObject Root { get; }

    /// <summary>True when the root has no keys.</summary>
    public bool IsEmpty => Root.Count == 0;

    /// <summary>True when <paramref name="path"/> exists and is not null.</summary>
    /// <param name="path">A path expression.</param>
    public bool HasPath(string path) => Find(path) is { } value && value is not HoconNull;

    /// <summary>True when <paramref name="path"/> exists, even if it is null.</summary>
    /// <param name="path">A path expression.</param>
    public bool HasPathOrNull(string path) => Find(path) is not null;

    /// <summary>True when <paramref name="path"/> exists and is null.</summary>
    /// <param name="path">A path expression.</param>
    public bool IsNull(string path) => Find(path) is HoconNull;

    /// <summary>The value at <paramref name="path"/> (possibly <see cref="HoconNull"/>).</summary>
    /// <param name="path">A path expression.</param>
    public HoconValue GetValue(string path)
    {
        var parsed = ParsePath(path);
        return Lookup(parsed, out var deepest) ?? throw Missing(parsed, deepest);
    }

    /// <summary>The value at <paramref name="path"/>, or null when it does not exist.</summary>
    /// <param name="path">A path expression.</param>
    public HoconValue? Find(string path) => Lookup(ParsePath(path), out _);

    /// <summary>The object at <paramref name="path"/> as a configuration of its own.</summary>
    /// <param name="path">A path expression.</param>
    public Config GetConfig(string path) => new(GetObject(path));

    /// <summary>
    /// Layers this configuration over <paramref name="fallback"/> (both already resolved): this one's keys
    /// win, objects merge. To let this layer's substitutions see the fallback, layer before resolving
    /// with <see cref="UnresolvedConfig.WithFallback(Config)"/>.
    /// </summary>
    /// <param name="fallback">The lower-priority configuration.</param>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new Config(Root.WithFallback(fallback.Root));
    }

    /// <summary>This configuration placed under <paramref name="path"/> (<c>{ a.b : this }</c>).</summary>
    /// <param name="path">A path expression.</param>
    public Config AtPath(string path)
    {
        var parsed = ParsePath(path);
        HoconValue value = Root;
        for (var i = parsed.Length - 1; i >= 0; i--)
        {
            var fields = new FieldMap<HoconValue>(1) { [parsed[i]] = value };
            value = new HoconObject(fields, Root.Origin);
        }

        return new Config((HoconObject)value);
    }

    /// <summary>Renders the configuration as JSON.</summary>
    /// <param name="indented">Two-space indentation when true.</param>
    public string ToJson(bool indented = false) => Root.ToJson(indented);

    /// <summary>Renders the configuration as compact JSON.</summary>
    public override string ToString() => Root.ToJson();

    private static KeyPath ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parser.ParsePath(path);
        }
        catch (HoconException e)
        {
            throw new ArgumentException($"invalid path expression '{path}': {e.Detail}", nameof(path), e);
        }
    }

    private HoconValue? Lookup(KeyPath path, out HoconObject deepest)
    {
        deepest = Root;
        HoconValue current = Root;
        for (var i = 0; i < path.Length; i++)
        {
            if (current is not HoconObject obj)
            {
                return null;
            }

            deepest = obj;
            if (!obj.TryGetValue(path[i], out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private HoconMissingException Missing(KeyPath path, HoconObject deepest)
    {
        var rendered = path.Render();
        var parentPath = FindPathOf(path, deepest, out var blocker);
        var detail = blocker is not null
            ? $"no setting at '{rendered}': '{parentPath}' is {blocker.Describe()}, not an object"
            : $"no setting at '{rendered}'";
        return new HoconMissingException(deepest.Origin.Source == HoconOrigin.Code.Source ? null : deepest.Origin, rendered, detail);
    }

    private string FindPathOf(KeyPath path, HoconObject deepest, out HoconValue? blocker)
    {
        // Walk again to tell "missing key" from "a parent is not an object".
        blocker = null;
        HoconValue current = Root;
        for (var i = 0; i < path.Length; i++)
        {
            if (current is not HoconObject obj)
            {
                blocker = current;
                return path.Take(i).Render();
            }

            if (!obj.TryGetValue(path[i], out var next))
            {
                return path.Take(i).Render();
            }

            current = next;
        }

        _ = deepest;
        return path.Render();
    }
}
