namespace ActorHost.Benchmarks.Hocon.Baseline.Syntax;

/// <summary>The kinds of token the tokenizer produces.</summary>
internal enum TokenKind : byte
{
    EndOfFile,

    /// <summary>An ASCII newline (0x0A): HOCON's field and element separator.</summary>
    Newline,

    /// <summary>A run of non-newline whitespace; kept because it is part of value concatenations.</summary>
    Whitespace,
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,

    /// <summary>A quoted or triple-quoted string; <see cref="Token.Text"/> is the decoded value.</summary>
    QuotedString,

    /// <summary>Unquoted text; <see cref="Token.Text"/> is the text as written.</summary>
    UnquotedText,

    /// <summary>A JSON number; <see cref="Token.Text"/> is the text as written.</summary>
    Number,
    True,
    False,
    Null,

    /// <summary><c>${</c>: a substitution follows, up to the matching <c>}</c>.</summary>
    SubstitutionStart,

    /// <summary><c>${?</c>: an optional substitution follows.</summary>
    OptionalSubstitutionStart,
}
