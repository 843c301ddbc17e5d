namespace ActorHost.Hocon.Syntax;

/// <summary>A node of the syntax tree the parser builds: what the text says, with where it says it.</summary>
internal abstract class SyntaxNode
{
    private HoconOrigin? _origin;

    protected SyntaxNode(HoconOrigin origin)
    {
        _origin = origin;
    }

    /// <summary>For nodes that create their origin only when asked (see <see cref="CreateOrigin"/>).</summary>
    protected SyntaxNode()
    {
    }

    public HoconOrigin Origin => _origin ??= CreateOrigin();

    protected virtual HoconOrigin CreateOrigin() => throw new InvalidOperationException(GetType().Name + " has no origin");
}
