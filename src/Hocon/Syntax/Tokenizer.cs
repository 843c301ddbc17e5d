using System.Globalization;
using System.Text;

namespace ActorHost.Hocon.Syntax;

/// <summary>
/// Turns HOCON (or strict JSON) text into tokens with positions, one at a time as the parser asks for
/// them. Hand-written over the string: one pass, no regular expressions, no token list, no backtracking
/// beyond the number-or-text decision.
/// </summary>
internal sealed class Tokenizer
{
    private const string NumberChars = "0123456789eE+-.";

    private static readonly string[] Spaces = [.. Enumerable.Range(0, 65).Select(n => new string(' ', n))];

    private readonly string _text;
    private readonly string _source;
    private readonly bool _json;
    private Token _token;
    private bool _skipped;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>Creates a tokenizer over <paramref name="text"/>.</summary>
    /// <param name="text">The document.</param>
    /// <param name="source">The file name or description used in origins.</param>
    /// <param name="json">Strict JSON: no comments, unquoted text, substitutions, '=' or triple quotes.</param>
    public Tokenizer(string text, string source, bool json)
    {
        _text = text;
        _source = source;
        _json = json;
    }

    /// <summary>Tokenizes the whole text at once (for tests); the last token is <see cref="TokenKind.EndOfFile"/>.</summary>
    public static List<Token> Tokenize(string text, string source, bool json)
    {
        var tokenizer = new Tokenizer(text, source, json);
        var tokens = new List<Token>();
        Token token;
        do
        {
            token = tokenizer.Next();
            tokens.Add(token);
        }
        while (token.Kind != TokenKind.EndOfFile);

        return tokens;
    }

    private int Column => _pos - _lineStart + 1;

    /// <summary>The next token; <see cref="TokenKind.EndOfFile"/> at the end (and on every call after it).</summary>
    public Token Next()
    {
        var text = _text;
        while (_pos < text.Length)
        {
            var c = text[_pos];
            switch (c)
            {
                case '\n':
                    Add(TokenKind.Newline, "\n", 1);
                    _line++;
                    _lineStart = _pos;

                    // Indentation is never significant (whitespace matters only between two pieces of one
                    // line), and every reader of a newline skips the whitespace after it anyway: step over
                    // plain spaces and tabs here rather than hand the parser a token per line for them.
                    while (_pos < text.Length && text[_pos] is ' ' or '\t')
                    {
                        _pos++;
                    }

                    return _token;
                case '"':
                    if (_pos + 2 < text.Length && text[_pos + 1] == '"' && text[_pos + 2] == '"')
                    {
                        ReadTripleQuoted();
                    }
                    else
                    {
                        ReadQuoted();
                    }

                    break;
                case '{':
                    Add(TokenKind.OpenBrace, "{", 1);
                    break;
                case '}':
                    Add(TokenKind.CloseBrace, "}", 1);
                    break;
                case '[':
                    Add(TokenKind.OpenBracket, "[", 1);
                    break;
                case ']':
                    Add(TokenKind.CloseBracket, "]", 1);
                    break;
                case ',':
                    Add(TokenKind.Comma, ",", 1);
                    break;
                case ':':
                    Add(TokenKind.Colon, ":", 1);
                    break;
                case '=':
                    RejectInJson("'=' (JSON separates keys and values with ':')");
                    Add(TokenKind.Equals, "=", 1);
                    break;
                case '#':
                    RejectInJson("comments");
                    SkipComment();
                    break;
                case '+':
                    if (_pos + 1 < text.Length && text[_pos + 1] == '=')
                    {
                        RejectInJson("'+='");
                        Add(TokenKind.PlusEquals, "+=", 2);
                    }
                    else
                    {
                        throw Error("reserved character '+' is not allowed outside quotes (did you mean '+='? otherwise quote the text)");
                    }

                    break;
                case '$':
                    ReadSubstitutionStart();
                    break;
                case '/' when _pos + 1 < text.Length && text[_pos + 1] == '/':
                    RejectInJson("comments");
                    SkipComment();
                    break;
                default:
                    if (CharClasses.IsWhitespace(c))
                    {
                        ReadWhitespace();
                    }
                    else if (c == '-' || char.IsAsciiDigit(c))
                    {
                        ReadNumberOrText();
                    }
                    else if (CharClasses.IsForbiddenInUnquoted(c))
                    {
                        throw Error($"reserved character '{c}' is not allowed outside quotes; put the text in double quotes");
                    }
                    else
                    {
                        ReadUnquoted();
                    }

                    break;
            }

            if (!_skipped)
            {
                return _token;
            }

            _skipped = false;
        }

        return new Token(TokenKind.EndOfFile, string.Empty, _line, Column);
    }

    private void Add(TokenKind kind, string text, int length)
    {
        _token = new Token(kind, text, _line, Column);
        _pos += length;
    }

    private void Emit(Token token) => _token = token;

    private void RejectInJson(string what)
    {
        if (_json)
        {
            throw Error($"JSON does not allow {what}; use a .conf file for HOCON syntax");
        }
    }

    private HoconException Error(string detail) => Error(_line, Column, detail);

    private HoconException Error(int line, int column, string detail) =>
        new(new HoconOrigin(_source, line, column), detail);

    private void SkipComment()
    {
        var end = _text.IndexOf('\n', _pos);
        _pos = end < 0 ? _text.Length : end;
        _skipped = true;
    }

    private void ReadWhitespace()
    {
        var start = _pos;
        var column = Column;
        while (_pos < _text.Length && _text[_pos] != '\n' && CharClasses.IsWhitespace(_text[_pos]))
        {
            _pos++;
        }

        if (IsInsignificantWhitespace())
        {
            _skipped = true;
            return;
        }

        // Runs of spaces (alignment, the space in "5 seconds") are by far the most common: share their strings.
        var length = _pos - start;
        var whitespace = length < Spaces.Length && _text.AsSpan(start, length).IndexOfAnyExcept(' ') < 0
            ? Spaces[length]
            : _text[start.._pos];
        Emit(new Token(TokenKind.Whitespace, whitespace, _line, column));
    }

    /// <summary>
    /// Whitespace matters only between two pieces of one value or one key. Right after a separator or an
    /// opening bracket, or right before a separator, a closing bracket, a newline, a comment or the end,
    /// every reader of the tokens skips it (and no message ever points at it), so no token is made for it:
    /// in <c>key = value</c> that is both spaces. Before '{' and '[' it is kept, since there it may
    /// separate two pieces of a concatenation. Whitespace at the very start is kept too.
    /// </summary>
    private bool IsInsignificantWhitespace()
    {
        if (_token.Kind is TokenKind.Equals or TokenKind.Colon or TokenKind.Comma or TokenKind.PlusEquals
            or TokenKind.OpenBrace or TokenKind.OpenBracket or TokenKind.SubstitutionStart or TokenKind.OptionalSubstitutionStart)
        {
            return true;
        }

        var text = _text;
        if (_pos >= text.Length)
        {
            return _token.Kind != TokenKind.EndOfFile; // a document of only whitespace keeps it
        }

        var next = _pos + 1 < text.Length ? text[_pos + 1] : '\0';
        return text[_pos] switch
        {
            '=' or ':' or ',' or '}' or ']' or '\n' or '#' => true,
            '/' => next == '/',
            '+' => next == '=',
            _ => false,
        };
    }

    private void ReadSubstitutionStart()
    {
        RejectInJson("substitutions");
        if (_pos + 1 >= _text.Length || _text[_pos + 1] != '{')
        {
            throw Error("'$' must start a substitution '${path}'; quote the text if you meant a dollar sign");
        }

        if (_pos + 2 < _text.Length && _text[_pos + 2] == '?')
        {
            Add(TokenKind.OptionalSubstitutionStart, "${?", 3);
        }
        else
        {
            Add(TokenKind.SubstitutionStart, "${", 2);
        }
    }

    private void ReadNumberOrText()
    {
        // The initial number character and every number character after it form a number when they obey
        // the JSON grammar (10.0bar is 10.0 then "bar"); otherwise the run is plain unquoted text (1.2.3).
        var start = _pos;
        var end = _pos;
        while (end < _text.Length && NumberChars.Contains(_text[end], StringComparison.Ordinal))
        {
            end++;
        }

        if (JsonNumberGrammar.IsNumber(_text.AsSpan(start, end - start)))
        {
            Emit(new Token(TokenKind.Number, _text[start..end], _line, Column));
            _pos = end;
            return;
        }

        ReadUnquoted();
    }

    private void ReadUnquoted()
    {
        var start = _pos;
        var column = Column;
        var text = _text;
        var pos = _pos;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (CharClasses.MayEndUnquoted(c)
                && (c != '/' ? c == '\n' || CharClasses.IsForbiddenInUnquoted(c) || CharClasses.IsWhitespace(c) : pos + 1 < text.Length && text[pos + 1] == '/'))
            {
                break;
            }

            pos++;

            // true/false/null are recognised at the start of unquoted text whatever follows (truefoo is
            // true then "foo"), never inside it (footrue is one string).
            var length = pos - start;
            if (length == 4 && string.CompareOrdinal(text, start, "true", 0, 4) == 0)
            {
                AddKeyword(TokenKind.True, "true", column, pos);
                return;
            }

            if (length == 4 && string.CompareOrdinal(text, start, "null", 0, 4) == 0)
            {
                AddKeyword(TokenKind.Null, "null", column, pos);
                return;
            }

            if (length == 5 && string.CompareOrdinal(text, start, "false", 0, 5) == 0)
            {
                AddKeyword(TokenKind.False, "false", column, pos);
                return;
            }
        }

        if (_json)
        {
            throw Error($"JSON does not allow unquoted text ('{text[start..pos]}'); quote it, or use a .conf file for HOCON syntax");
        }

        Emit(new Token(TokenKind.UnquotedText, text[start..pos], _line, column));
        _pos = pos;
    }

    private void AddKeyword(TokenKind kind, string text, int column, int end)
    {
        Emit(new Token(kind, text, _line, column));
        _pos = end;
    }

    private void ReadQuoted()
    {
        var line = _line;
        var column = Column;
        var text = _text;
        var pos = _pos + 1;
        StringBuilder? sb = null;
        var runStart = pos;
        while (true)
        {
            if (pos >= text.Length)
            {
                throw Error(line, column, "unterminated quoted string: expected a closing '\"' before the end of the file");
            }

            var c = text[pos];
            if (c == '"')
            {
                string value;
                if (sb is null)
                {
                    value = text[runStart..pos];
                }
                else
                {
                    sb.Append(text, runStart, pos - runStart);
                    value = sb.ToString();
                }

                Emit(new Token(TokenKind.QuotedString, value, line, column));
                _pos = pos + 1;
                return;
            }

            if (c == '\\')
            {
                sb ??= new StringBuilder();
                sb.Append(text, runStart, pos - runStart);
                pos = ReadEscape(pos, sb);
                runStart = pos;
                continue;
            }

            if (c == '\n')
            {
                throw Error(line, column, "unterminated quoted string: a quoted string cannot span lines (use \\n or a \"\"\"triple-quoted\"\"\" string)");
            }

            if (c < ' ')
            {
                _pos = pos;
                throw Error($"control character U+{(int)c:X4} must be escaped inside a quoted string");
            }

            pos++;
        }
    }

    private int ReadEscape(int pos, StringBuilder sb)
    {
        // pos is at the backslash.
        if (pos + 1 >= _text.Length)
        {
            _pos = pos;
            throw Error("unterminated escape sequence at the end of the file");
        }

        var e = _text[pos + 1];
        switch (e)
        {
            case '"': sb.Append('"'); break;
            case '\\': sb.Append('\\'); break;
            case '/': sb.Append('/'); break;
            case 'b': sb.Append('\b'); break;
            case 'f': sb.Append('\f'); break;
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 't': sb.Append('\t'); break;
            case 'u':
                if (pos + 6 > _text.Length
                    || !int.TryParse(_text.AsSpan(pos + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    _pos = pos;
                    throw Error("invalid \\u escape: expected four hexadecimal digits");
                }

                sb.Append((char)code);
                return pos + 6;
            default:
                _pos = pos;
                throw Error($"invalid escape '\\{e}': expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
        }

        return pos + 2;
    }

    private void ReadTripleQuoted()
    {
        RejectInJson("triple-quoted strings");
        var line = _line;
        var column = Column;
        var text = _text;
        var start = _pos + 3;
        var pos = start;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '"')
            {
                // A run of three or more quotes closes the string; quotes beyond three belong to it.
                var runEnd = pos;
                while (runEnd < text.Length && text[runEnd] == '"')
                {
                    runEnd++;
                }

                if (runEnd - pos >= 3)
                {
                    Emit(new Token(TokenKind.QuotedString, text[start..(runEnd - 3)], line, column));
                    _pos = runEnd;
                    return;
                }

                pos = runEnd;
                continue;
            }

            if (c == '\n')
            {
                _line++;
                _lineStart = pos + 1;
            }

            pos++;
        }

        throw Error(line, column, "unterminated triple-quoted string: expected a closing '\"\"\"'");
    }
}
