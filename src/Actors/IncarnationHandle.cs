namespace ActorHost.Actors;

/// <summary>
/// A value handed out by one actor incarnation (<see cref="IActorContext.Bind{T}"/>). Using it after that
/// incarnation ended throws <see cref="StaleIncarnationException"/> instead of silently touching state that now
/// belongs to nobody (or leaking into the next instance). Thread-safe.
/// </summary>
/// <typeparam name="T">The wrapped value's type.</typeparam>
public sealed class IncarnationHandle<T>
{
    private readonly IncarnationContext _owner;
    private readonly T _value;

    internal IncarnationHandle(IncarnationContext owner, T value)
    {
        _owner = owner;
        _value = value;
    }

    /// <summary>The actor that handed it out.</summary>
    public ActorPath Path => _owner.Cell.Path;

    /// <summary>The incarnation that handed it out.</summary>
    public int Incarnation => _owner.Incarnation;

    /// <summary>True once that incarnation ended.</summary>
    public bool IsStale => _owner.IsStale;

    /// <summary>The value.</summary>
    /// <exception cref="StaleIncarnationException">The incarnation has ended.</exception>
    public T Value
    {
        get
        {
            _owner.ThrowIfStaleForHandles();
            return _value;
        }
    }

    /// <summary>Gets the value unless the incarnation has ended.</summary>
    public bool TryGetValue(out T value)
    {
        if (_owner.IsStale)
        {
            value = default!;
            return false;
        }

        value = _value;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"IncarnationHandle({Path}#{Incarnation}{(IsStale ? ", stale" : string.Empty)})";
}
