namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>One token with the 1-based line and column where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column)
{
    /// <summary>How the token is shown in "expected X but found Y" messages.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.EndOfFile => "end of file",
        TokenKind.Newline => "newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.QuotedString => "quoted string",
        TokenKind.UnquotedText => $"'{Text}'",
        TokenKind.Number => $"number {Text}",
        TokenKind.SubstitutionStart => "'${'",
        TokenKind.OptionalSubstitutionStart => "'${?'",
        _ => $"'{Text}'",
    };
}
