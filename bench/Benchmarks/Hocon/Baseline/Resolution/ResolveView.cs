using ActorHost.Benchmarks.Hocon.Baseline.Raw;

namespace ActorHost.Benchmarks.Hocon.Baseline.Resolution;

/// <summary>
/// Which merge stacks currently read as only their lower layers. While layer <c>i</c> of a field's stack
/// is resolved, a lookup that reaches that field sees layers <c>[0, i)</c>: the "look back" that lets
/// <c>path = ${path} [x]</c> and <c>a = ${?a} foo</c> refer to the previous value. Immutable; inner
/// entries shadow outer ones.
/// </summary>
internal sealed class ResolveView
{
    private readonly ResolveView? _next;
    private readonly RawMergeStack? _owner;
    private readonly int _count;

    private ResolveView(ResolveView? next, RawMergeStack? owner, int count)
    {
        _next = next;
        _owner = owner;
        _count = count;
    }

    public static ResolveView Empty { get; } = new(null, null, 0);

    public bool IsEmpty => _owner is null;

    public ResolveView With(RawMergeStack owner, int visibleLayers) => new(this, owner, visibleLayers);

    public bool TryGetVisibleLayers(RawMergeStack owner, out int count)
    {
        for (var view = this; view is { _owner: not null }; view = view._next)
        {
            if (ReferenceEquals(view._owner, owner))
            {
                count = view._count;
                return true;
            }
        }

        count = 0;
        return false;
    }
}
