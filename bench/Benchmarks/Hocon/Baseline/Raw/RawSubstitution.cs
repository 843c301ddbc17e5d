namespace ActorHost.Benchmarks.Hocon.Baseline.Raw;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Prefix"/> is where the file that contains it was included:
/// the path is looked up under the prefix first, then from the root (the include fix-up rule).
/// </summary>
internal sealed class RawSubstitution(HoconOrigin origin, KeyPath path, bool optional, KeyPath prefix) : RawNode(origin)
{
    public KeyPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public KeyPath Prefix { get; } = prefix;

    public override bool IsUnmergeable => true;

    public override string ToString() => (Optional ? "${?" : "${") + Path.Render() + "}";
}
