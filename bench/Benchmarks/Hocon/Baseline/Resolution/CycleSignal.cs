using ActorHost.Benchmarks.Hocon.Baseline.Raw;

namespace ActorHost.Benchmarks.Hocon.Baseline.Resolution;

/// <summary>
/// Raised inside the resolver when resolution comes back to a node it is still resolving. The nearest
/// substitution catches it: an optional one becomes undefined, a required one reports the cycle.
/// Never escapes the resolver.
/// </summary>
#pragma warning disable CA1032, CA1064 // internal control-flow signal, not a public exception type
internal sealed class CycleSignal(RawNode node, string description) : Exception(description)
#pragma warning restore CA1032, CA1064
{
    public RawNode Node { get; } = node;

    public string Description { get; } = description;
}
