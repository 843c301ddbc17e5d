namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>How a field's key is separated from its value.</summary>
internal enum FieldSeparator
{
    /// <summary><c>:</c>, <c>=</c>, or nothing before <c>{</c>: set (or merge into) the field.</summary>
    Assign,

    /// <summary><c>+=</c>: append to the array the field had so far.</summary>
    Append,
}

/// <summary>A field <c>key.path = value</c>.</summary>
internal sealed class FieldSyntax(HoconOrigin origin, KeyPath key, FieldSeparator separator, SyntaxNode value)
    : MemberSyntax(origin)
{
    public KeyPath Key { get; } = key;

    public FieldSeparator Separator { get; } = separator;

    public SyntaxNode Value { get; } = value;
}
