namespace ActorHost.Hocon.Syntax;

/// <summary>
/// Recursive-descent parser from tokens to the syntax tree. It knows HOCON's layout rules (omitted root
/// braces, newline-as-comma, omitted separator before '{', value concatenation on one line, path keys,
/// include statements) and, in JSON mode, refuses everything JSON does not allow.
/// </summary>
internal sealed class Parser
{
    private readonly Tokenizer _tokenizer;
    private readonly string _source;
    private readonly bool _json;
    private readonly PathBuilder _pathBuilder = new();
    private readonly List<Token> _run = [];

    // Lists for the members and elements being read, one per nesting level, reused: each object or array
    // then costs one exact-size array instead of a List and the arrays it outgrows.
    private readonly Stack<List<MemberSyntax>> _memberLists = new();
    private readonly Stack<List<SyntaxNode>> _elementLists = new();
    private Token _current;
    private int _depth;

    private Parser(Tokenizer tokenizer, string source, bool json)
    {
        _tokenizer = tokenizer;
        _source = source;
        _json = json;
        _current = tokenizer.Next();
    }

    /// <summary>Parses a whole document; the result is an <see cref="ObjectSyntax"/> or an <see cref="ArraySyntax"/>.</summary>
    /// <param name="text">The document.</param>
    /// <param name="source">The file name or description used in origins.</param>
    /// <param name="json">Strict JSON instead of HOCON.</param>
    public static SyntaxNode ParseDocument(string text, string source, bool json)
    {
        var parser = new Parser(new Tokenizer(text, source, json), source, json);
        return parser.Document();
    }

    /// <summary>Parses a path expression such as <c>a.b."c.d"</c> (used for getter arguments).</summary>
    /// <param name="path">The path expression.</param>
    public static KeyPath ParsePath(string path)
    {
        var parser = new Parser(new Tokenizer(path, "path expression", json: false), "path expression", json: false);
        var result = parser.PathExpression("path");
        if (parser.Peek.Kind != TokenKind.EndOfFile)
        {
            throw parser.Error(parser.Peek, $"unexpected {parser.Peek.Describe()} in path expression");
        }

        return result;
    }

    private Token Peek => _current;

    /// <summary>Moves to the next token and returns the one that was current.</summary>
    private Token Advance()
    {
        var token = _current;
        _current = _tokenizer.Next();
        return token;
    }

    private HoconOrigin OriginOf(Token token) => new(_source, token.Line, token.Column);

    private HoconException Error(Token at, string detail) => new(OriginOf(at), detail);

    private SyntaxNode Document()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek;
        SyntaxNode root;
        if (first.Kind == TokenKind.EndOfFile)
        {
            if (_json)
            {
                throw Error(first, "empty JSON document: expected '{' or '['");
            }

            root = new ObjectSyntax(OriginOf(first), []);
        }
        else if (first.Kind == TokenKind.OpenBrace)
        {
            root = Object();
        }
        else if (first.Kind == TokenKind.OpenBracket)
        {
            root = Array();
        }
        else if (_json)
        {
            throw Error(first, $"a JSON document must start with '{{' or '[', found {first.Describe()}");
        }
        else
        {
            root = ObjectBody(braced: false, OriginOf(first), first);
        }

        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.EndOfFile)
        {
            var extra = Peek;
            throw Error(extra, extra.Kind == TokenKind.CloseBrace
                ? "unbalanced '}': it closes nothing"
                : $"expected the end of the document after the root value, found {extra.Describe()}");
        }

        return root;
    }

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
        {
            Advance();
        }
    }

    private bool SkipWhitespaceAndNewlines()
    {
        var sawNewline = false;
        while (true)
        {
            var kind = Peek.Kind;
            if (kind == TokenKind.Whitespace)
            {
                Advance();
            }
            else if (kind == TokenKind.Newline)
            {
                sawNewline = true;
                Advance();
            }
            else
            {
                return sawNewline;
            }
        }
    }

    private void Enter(Token at)
    {
        _depth++;
        if (_depth > HoconLimits.MaxDepth)
        {
            throw Error(at, $"objects and arrays nest more than {HoconLimits.MaxDepth} levels deep");
        }

        HoconLimits.EnsureStack(OriginOf(at));
    }

    private ObjectSyntax Object()
    {
        var open = Advance();
        return ObjectBody(braced: true, OriginOf(open), open);
    }

    private ObjectSyntax ObjectBody(bool braced, HoconOrigin origin, Token open)
    {
        Enter(open);
        var members = _memberLists.TryPop(out var reused) ? reused : [];
        var needSeparator = false;
        var lastWasComma = false;
        while (true)
        {
            if (SkipWhitespaceAndNewlines() && !_json)
            {
                needSeparator = false;
            }

            var token = Peek;
            if ((braced && token.Kind == TokenKind.CloseBrace) || (!braced && token.Kind == TokenKind.EndOfFile))
            {
                if (_json && lastWasComma)
                {
                    throw Error(token, "JSON does not allow a trailing comma");
                }

                if (braced)
                {
                    Advance();
                }

                break;
            }

            if (token.Kind == TokenKind.EndOfFile)
            {
                throw Error(token, $"expected '}}' to close the object opened at {open.Line}:{open.Column}, found end of file");
            }

            if (token.Kind == TokenKind.CloseBrace)
            {
                throw Error(token, "unbalanced '}': the document has no opening '{'");
            }

            if (token.Kind == TokenKind.Comma)
            {
                if (members.Count == 0 || lastWasComma)
                {
                    throw Error(token, "unexpected ',': expected a field (two commas in a row, or a comma before the first field)");
                }

                Advance();
                lastWasComma = true;
                needSeparator = false;
                continue;
            }

            if (needSeparator)
            {
                throw Error(token, $"expected ',' or a newline between fields, found {token.Describe()}");
            }

            members.Add(Member());
            needSeparator = true;
            lastWasComma = false;

            SkipWhitespace();
            var next = Peek;
            if (next.Kind is not (TokenKind.Newline or TokenKind.Comma or TokenKind.CloseBrace or TokenKind.EndOfFile))
            {
                throw Error(next, $"expected ',', a newline or '}}' after a field, found {next.Describe()}{QuoteHint(next)}");
            }
        }

        _depth--;
        var result = new ObjectSyntax(origin, [.. members]);
        members.Clear();
        _memberLists.Push(members);
        return result;
    }

    private MemberSyntax Member()
    {
        var first = Peek;
        if (!_json && first.Kind == TokenKind.UnquotedText && first.Text == "include")
        {
            return Include();
        }

        var key = Key();
        SkipWhitespaceAndNewlines();
        var separatorToken = Peek;
        FieldSeparator separator;
        switch (separatorToken.Kind)
        {
            case TokenKind.Colon:
            case TokenKind.Equals:
                Advance();
                separator = FieldSeparator.Assign;
                break;
            case TokenKind.PlusEquals:
                Advance();
                separator = FieldSeparator.Append;
                break;
            case TokenKind.OpenBrace when !_json:
                separator = FieldSeparator.Assign;
                break;
            default:
                throw Error(separatorToken, _json
                    ? $"expected ':' after the key \"{key.Render()}\", found {separatorToken.Describe()}"
                    : $"expected ':', '=', '+=' or '{{' after the key '{key.Render()}', found {separatorToken.Describe()}");
        }

        if (_depth + key.Length - 1 > HoconLimits.MaxDepth)
        {
            throw Error(first, $"objects and arrays nest more than {HoconLimits.MaxDepth} levels deep");
        }

        SkipWhitespaceAndNewlines();
        var value = Value(key);
        return new FieldSyntax(_source, first.Line, first.Column, key, separator, value);
    }

    private KeyPath Key()
    {
        var first = Peek;
        if (_json)
        {
            if (first.Kind != TokenKind.QuotedString)
            {
                throw Error(first, $"expected a quoted key, found {first.Describe()}");
            }

            Advance();
            return new KeyPath(first.Text);
        }

        return PathExpression("key");
    }

    /// <summary>Reads the tokens of a path expression up to the first token that cannot be part of one.</summary>
    private KeyPath PathExpression(string what)
    {
        var start = Peek;
        if (!IsPathPiece(start.Kind))
        {
            throw start.Kind is TokenKind.SubstitutionStart or TokenKind.OptionalSubstitutionStart
                ? Error(start, $"substitutions are not allowed in a {what}")
                : Error(start, what == "key"
                    ? $"expected a key (or include), found {start.Describe()}"
                    : $"expected a {what}, found {start.Describe()}");
        }

        // Most keys are one token without a dot: no builder needed.
        Advance();
        string? whitespace = null;
        if (Peek.Kind == TokenKind.Whitespace)
        {
            whitespace = Advance().Text;
        }

        if (!IsPathPiece(Peek.Kind) && Peek.Kind is not (TokenKind.SubstitutionStart or TokenKind.OptionalSubstitutionStart)
            && (start.Kind == TokenKind.QuotedString || !start.Text.Contains('.', StringComparison.Ordinal)))
        {
            return new KeyPath(start.Text);
        }

        var builder = _pathBuilder;
        builder.Reset();
        Add(start);
        var pendingWhitespace = whitespace;
        while (true)
        {
            var token = Peek;
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    pendingWhitespace = token.Text;
                    Advance();
                    continue;
                case TokenKind.SubstitutionStart:
                case TokenKind.OptionalSubstitutionStart:
                    throw Error(token, $"substitutions are not allowed in a {what}");
                default:
                    if (!IsPathPiece(token.Kind))
                    {
                        var (path, buildError) = builder.Build();
                        return path ?? throw Error(start, $"invalid {what}: {buildError}");
                    }

                    if (pendingWhitespace is not null)
                    {
                        builder.AddWhitespace(pendingWhitespace);
                        pendingWhitespace = null;
                    }

                    Add(token);
                    Advance();
                    break;
            }
        }

        void Add(Token token)
        {
            if (token.Kind == TokenKind.QuotedString)
            {
                _pathBuilder.AddQuoted(token.Text);
            }
            else if (_pathBuilder.AddUnquoted(token.Text) is { } error)
            {
                throw Error(token, $"invalid {what}: {error}");
            }
        }
    }

    private static bool IsPathPiece(TokenKind kind) =>
        kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null;

    /// <summary>Reads a value (possibly a concatenation) for the field <paramref name="key"/>, or an array element when null.</summary>
    private SyntaxNode Value(KeyPath? key)
    {
        var token = Peek;
        if (!StartsPiece(token.Kind))
        {
            var what = key is null ? "an array element or ']'" : $"the value of '{key.Render()}'";
            throw Error(token, $"expected {what}, found {token.Describe()}");
        }

        if (IsSimple(token.Kind))
        {
            return SimpleValue();
        }

        var first = Piece();

        // Most values are a single piece: only build a list when more follows on the same line.
        if (Peek.Kind != TokenKind.Whitespace && !StartsPiece(Peek.Kind))
        {
            return first;
        }

        return Concatenation([first], pendingWhitespace: null);
    }

    /// <summary>
    /// A value that starts with a string, number, boolean or null. Runs of such tokens on one line (durations
    /// and sizes like <c>10s</c> or <c>5 seconds</c>, which are a number then text) are a string concatenation
    /// whose result is known now: it is joined straight from the tokens, without building a node per piece.
    /// Only when a substitution, object or array joins the run does it become a general concatenation.
    /// </summary>
    private SyntaxNode SimpleValue()
    {
        var first = Advance();
        if (Peek.Kind != TokenKind.Whitespace && !StartsPiece(Peek.Kind))
        {
            return Literal(first);
        }

        var run = _run;
        run.Clear();
        run.Add(first);
        Token? pendingWhitespace = null;
        while (NextPiece(ref pendingWhitespace, out var token))
        {
            if (!IsSimple(token.Kind))
            {
                // A substitution, object or array follows: the run so far becomes ordinary pieces.
                var pieces = new List<SyntaxNode>(run.Count + 2);
                foreach (var piece in run)
                {
                    pieces.Add(piece.Kind == TokenKind.Whitespace ? new WhitespaceSyntax(OriginOf(piece), piece.Text) : Literal(piece));
                }

                return Concatenation(pieces, pendingWhitespace);
            }

            if (pendingWhitespace is { } ws)
            {
                run.Add(ws);
                pendingWhitespace = null;
            }

            run.Add(Advance());
        }

        return run.Count == 1 ? Literal(first) : JoinRun(run);
    }

    /// <summary>The string a run of simple tokens and whitespace concatenates to (numbers as written, null as "null").</summary>
    private LiteralSyntax JoinRun(List<Token> run)
    {
        var length = 0;
        foreach (var token in run)
        {
            length += token.Text.Length;
        }

        var text = string.Create(length, run, static (chars, tokens) =>
        {
            foreach (var token in tokens)
            {
                token.Text.CopyTo(chars);
                chars = chars[token.Text.Length..];
            }
        });
        return new LiteralSyntax(new HoconString(text, OriginOf(run[0])));
    }

    /// <summary>Reads the rest of a concatenation whose first pieces are <paramref name="pieces"/>.</summary>
    private ConcatenationSyntax Concatenation(List<SyntaxNode> pieces, Token? pendingWhitespace)
    {
        while (NextPiece(ref pendingWhitespace, out _))
        {
            if (pendingWhitespace is { } ws)
            {
                pieces.Add(new WhitespaceSyntax(OriginOf(ws), ws.Text));
                pendingWhitespace = null;
            }

            pieces.Add(Piece());
        }

        return new ConcatenationSyntax(pieces[0].Origin, pieces);
    }

    /// <summary>
    /// Moves to the next piece of a concatenation: skips whitespace, keeping the last run in
    /// <paramref name="pendingWhitespace"/> (it belongs to the value only if a piece follows), and returns false
    /// when the concatenation ends there. JSON has no concatenation, so a second piece is an error.
    /// </summary>
    private bool NextPiece(ref Token? pendingWhitespace, out Token token)
    {
        while ((token = Peek).Kind == TokenKind.Whitespace)
        {
            pendingWhitespace = token;
            Advance();
        }

        if (!StartsPiece(token.Kind))
        {
            return false;
        }

        if (_json)
        {
            throw Error(token, $"JSON does not allow two values without a separator, found {token.Describe()}");
        }

        return true;
    }

    private static bool IsSimple(TokenKind kind) =>
        kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number or TokenKind.True or TokenKind.False or TokenKind.Null;

    private static bool StartsPiece(TokenKind kind) =>
        kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number or TokenKind.True or TokenKind.False
            or TokenKind.Null or TokenKind.SubstitutionStart or TokenKind.OptionalSubstitutionStart or TokenKind.OpenBrace
            or TokenKind.OpenBracket;

    private SyntaxNode Piece()
    {
        var token = Peek;
        switch (token.Kind)
        {
            case TokenKind.OpenBrace:
                return Object();
            case TokenKind.OpenBracket:
                return Array();
            case TokenKind.SubstitutionStart:
            case TokenKind.OptionalSubstitutionStart:
                return Substitution();
        }

        return Literal(Advance());
    }

    private LiteralSyntax Literal(Token token)
    {
        var origin = OriginOf(token);
        HoconValue value = token.Kind switch
        {
            TokenKind.Number => new HoconNumber(token.Text, origin),
            TokenKind.True => new HoconBoolean(true, origin),
            TokenKind.False => new HoconBoolean(false, origin),
            TokenKind.Null => new HoconNull(origin),
            _ => new HoconString(token.Text, origin),
        };
        return new LiteralSyntax(value);
    }

    private SubstitutionSyntax Substitution()
    {
        var open = Advance();
        var optional = open.Kind == TokenKind.OptionalSubstitutionStart;
        SkipWhitespace();
        var path = PathExpression("substitution path");
        var close = Peek;
        if (close.Kind != TokenKind.CloseBrace)
        {
            throw Error(close, $"expected '}}' to close the substitution opened at {open.Line}:{open.Column}, found {close.Describe()}");
        }

        Advance();
        return new SubstitutionSyntax(OriginOf(open), path, optional);
    }

    private ArraySyntax Array()
    {
        var open = Advance();
        Enter(open);
        var elements = _elementLists.TryPop(out var reused) ? reused : [];
        var needSeparator = false;
        var lastWasComma = false;
        while (true)
        {
            if (SkipWhitespaceAndNewlines() && !_json)
            {
                needSeparator = false;
            }

            var token = Peek;
            if (token.Kind == TokenKind.CloseBracket)
            {
                if (_json && lastWasComma)
                {
                    throw Error(token, "JSON does not allow a trailing comma");
                }

                Advance();
                break;
            }

            if (token.Kind == TokenKind.EndOfFile)
            {
                throw Error(token, $"expected ']' to close the array opened at {open.Line}:{open.Column}, found end of file");
            }

            if (token.Kind == TokenKind.Comma)
            {
                if (elements.Count == 0 || lastWasComma)
                {
                    throw Error(token, "unexpected ',': expected an array element (two commas in a row, or a comma before the first element)");
                }

                Advance();
                lastWasComma = true;
                needSeparator = false;
                continue;
            }

            if (needSeparator)
            {
                throw Error(token, $"expected ',' or a newline between array elements, found {token.Describe()}");
            }

            elements.Add(Value(null));
            needSeparator = true;
            lastWasComma = false;

            SkipWhitespace();
            var next = Peek;
            if (next.Kind is not (TokenKind.Newline or TokenKind.Comma or TokenKind.CloseBracket))
            {
                throw Error(next, next.Kind == TokenKind.EndOfFile
                    ? $"expected ']' to close the array opened at {open.Line}:{open.Column}, found end of file"
                    : $"expected ',', a newline or ']' after an array element, found {next.Describe()}{QuoteHint(next)}");
            }
        }

        _depth--;
        var result = new ArraySyntax(OriginOf(open), [.. elements]);
        elements.Clear();
        _elementLists.Push(elements);
        return result;
    }

    private static string QuoteHint(Token token) =>
        token.Kind is TokenKind.Colon or TokenKind.Equals
            ? $" (put the value in double quotes if '{token.Text}' is part of it)"
            : string.Empty;

    private IncludeSyntax Include()
    {
        var includeToken = Advance();
        SkipWhitespaceAndNewlines();
        var token = Peek;
        if (token.Kind == TokenKind.QuotedString)
        {
            Advance();
            return new IncludeSyntax(OriginOf(includeToken), IncludeKind.Heuristic, required: false, token.Text);
        }

        if (token.Kind != TokenKind.UnquotedText)
        {
            throw Error(token, $"expected a quoted file name after include (or file(\"...\"), required(\"...\")), found {token.Describe()}");
        }

        var wrappers = new List<string>();
        string? name = null;
        while (name is null)
        {
            token = Peek;
            switch (token.Kind)
            {
                case TokenKind.Whitespace:
                    Advance();
                    break;
                case TokenKind.UnquotedText:
                    ReadWrappers(token, wrappers);
                    Advance();
                    break;
                case TokenKind.QuotedString:
                    name = token.Text;
                    Advance();
                    break;
                default:
                    throw Error(token, $"expected a quoted file name inside {wrappers[^1]}(...), found {token.Describe()}");
            }
        }

        var open = wrappers.Count;
        while (open > 0)
        {
            token = Peek;
            if (token.Kind == TokenKind.Whitespace)
            {
                Advance();
                continue;
            }

            if (token.Kind != TokenKind.UnquotedText)
            {
                throw Error(token, $"expected ')' to close {wrappers[open - 1]}(...), found {token.Describe()}");
            }

            foreach (var c in token.Text)
            {
                if (c != ')' || open == 0)
                {
                    throw Error(token, $"expected ')' to close the include, found '{token.Text}'");
                }

                open--;
            }

            Advance();
        }

        var required = false;
        var kind = IncludeKind.Heuristic;
        for (var i = 0; i < wrappers.Count; i++)
        {
            var wrapper = wrappers[i];
            if (wrapper == "required")
            {
                if (i != 0 || required)
                {
                    throw Error(includeToken, "required(...) must be the outermost part of an include, as in include required(file(\"x\"))");
                }

                required = true;
                continue;
            }

            if (kind != IncludeKind.Heuristic)
            {
                throw Error(includeToken, $"an include can name only one of file(), url() or classpath(), found {wrapper}() inside another");
            }

            kind = wrapper switch
            {
                "file" => IncludeKind.File,
                "url" => IncludeKind.Url,
                _ => IncludeKind.Classpath,
            };
        }

        return new IncludeSyntax(OriginOf(includeToken), kind, required, name);
    }

    private void ReadWrappers(Token token, List<string> wrappers)
    {
        var text = token.Text.AsSpan();
        while (!text.IsEmpty)
        {
            var matched = false;
            foreach (var wrapper in (ReadOnlySpan<string>)["required", "file", "url", "classpath"])
            {
                if (text.StartsWith(wrapper, StringComparison.Ordinal) && text.Length > wrapper.Length && text[wrapper.Length] == '(')
                {
                    wrappers.Add(wrapper);
                    text = text[(wrapper.Length + 1)..];
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                throw Error(token, $"unexpected '{token.Text}' in include: expected a quoted file name, file(\"...\"), required(\"...\"), url(\"...\") or classpath(\"...\")");
            }
        }
    }
}
