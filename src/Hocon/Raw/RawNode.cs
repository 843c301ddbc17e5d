namespace ActorHost.Hocon.Raw;

/// <summary>
/// A node of the unresolved tree the loader builds: objects are merged and includes expanded, but
/// substitutions, concatenations that involve them, and merges that depend on them are still open.
/// </summary>
internal abstract class RawNode(HoconOrigin origin)
{
    private static int s_nextHash;

    // The resolver keys dictionaries by node identity; a stored hash is much cheaper than the runtime's
    // identity hash (which has to be created in the object header on first use). The counter is bumped
    // without Interlocked on purpose: a lost update under concurrent parsing only repeats a hash value,
    // which costs nothing in correctness (equality is by reference), while a locked add on every node does.
    private readonly int _hash = ++s_nextHash;

    public HoconOrigin Origin { get; protected set; } = origin;

    /// <summary>True for nodes whose type is only known after resolution (they may become an object).</summary>
    public virtual bool IsUnmergeable => false;

    /// <summary>True for nodes that are certainly not objects: merging an object under them has no effect.</summary>
    public virtual bool IsDefiniteNonObject => false;

    /// <summary>
    /// True for nodes under which an older definition has no effect because they sit on a blocked merge
    /// (see <see cref="RawObject.IgnoresFallbacks"/>); layering leaves them as they are.
    /// </summary>
    public virtual bool IgnoresFallbacks => false;

    public sealed override int GetHashCode() => _hash;

    public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);
}
