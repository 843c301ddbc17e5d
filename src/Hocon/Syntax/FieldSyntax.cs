namespace ActorHost.Hocon.Syntax;

/// <summary>How a field's key is separated from its value.</summary>
internal enum FieldSeparator
{
    /// <summary><c>:</c>, <c>=</c>, or nothing before <c>{</c>: set (or merge into) the field.</summary>
    Assign,

    /// <summary><c>+=</c>: append to the array the field had so far.</summary>
    Append,
}

/// <summary>
/// A field <c>key.path = value</c>. Its origin (where the key starts) is needed only for <c>+=</c>, dotted
/// keys and errors, so it is kept as line and column and made into a <see cref="HoconOrigin"/> on demand:
/// one allocation fewer for nearly every field.
/// </summary>
internal sealed class FieldSyntax(string source, int line, int column, KeyPath key, FieldSeparator separator, SyntaxNode value)
    : MemberSyntax
{
    public KeyPath Key { get; } = key;

    public FieldSeparator Separator { get; } = separator;

    public SyntaxNode Value { get; } = value;

    protected override HoconOrigin CreateOrigin() => new(source, line, column);
}
