namespace ActorHost.Hocon.Syntax;

/// <summary>An object: its fields and include statements in source order.</summary>
internal sealed class ObjectSyntax(HoconOrigin origin, MemberSyntax[] members) : SyntaxNode(origin)
{
    public MemberSyntax[] Members { get; } = members;
}

/// <summary>What can stand where an object field stands: a field or an include statement.</summary>
internal abstract class MemberSyntax : SyntaxNode
{
    protected MemberSyntax(HoconOrigin origin)
        : base(origin)
    {
    }

    protected MemberSyntax()
    {
    }
}
