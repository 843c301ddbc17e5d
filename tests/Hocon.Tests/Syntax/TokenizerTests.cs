using ActorHost.Hocon.Syntax;

namespace ActorHost.Hocon.Tests.Syntax;

public class TokenizerTests
{
    private static List<Token> Tokens(string text) =>
        Tokenizer.Tokenize(text, "t", json: false).Where(t => t.Kind is not (TokenKind.Whitespace or TokenKind.EndOfFile)).ToList();

    [Fact]
    public void Tokens_carry_line_and_column()
    {
        var tokens = Tokens("a = 1\n  b : \"x\"");
        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((1, 3), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((1, 5), (tokens[2].Line, tokens[2].Column));
        Assert.Equal(TokenKind.Newline, tokens[3].Kind);
        Assert.Equal((2, 3), (tokens[4].Line, tokens[4].Column));
        Assert.Equal((2, 7), (tokens[6].Line, tokens[6].Column));
    }

    [Fact]
    public void Number_followed_by_letters_is_a_number_then_text()
    {
        var tokens = Tokens("10.0bar");
        Assert.Equal([TokenKind.Number, TokenKind.UnquotedText], tokens.Select(t => t.Kind));
        Assert.Equal(["10.0", "bar"], tokens.Select(t => t.Text));
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1-2")]
    [InlineData("-")]
    [InlineData("01")]
    public void Number_characters_that_do_not_make_a_json_number_are_text(string text)
    {
        var token = Assert.Single(Tokens(text));
        Assert.Equal(TokenKind.UnquotedText, token.Kind);
        Assert.Equal(text, token.Text);
    }

    [Fact]
    public void Keywords_are_recognised_only_at_the_start_of_unquoted_text()
    {
        Assert.Equal([TokenKind.True, TokenKind.UnquotedText], Tokens("truefoo").Select(t => t.Kind));
        Assert.Equal([TokenKind.UnquotedText], Tokens("footrue").Select(t => t.Kind));
        Assert.Equal([TokenKind.Null, TokenKind.UnquotedText], Tokens("nullx").Select(t => t.Kind));
    }

    [Fact]
    public void Comments_are_dropped_but_the_newline_stays()
    {
        Assert.Equal([TokenKind.UnquotedText, TokenKind.Newline, TokenKind.UnquotedText], Tokens("a // x\n# y\nb").Where(t => t.Kind != TokenKind.Newline || t.Line == 1).Select(t => t.Kind));
    }

    [Fact]
    public void Double_slash_ends_unquoted_text_but_a_single_slash_does_not()
    {
        Assert.Equal(["a/b"], Tokens("a/b//c").Select(t => t.Text));
    }

    [Fact]
    public void Quoted_strings_decode_json_escapes()
    {
        Assert.Equal("a\"\\/\b\f\n\r\té", Assert.Single(Tokens("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"")).Text);
    }

    [Fact]
    public void Triple_quoted_strings_keep_everything_and_count_lines()
    {
        var tokens = Tokens("\"\"\"a\\n\n\"b\" \"\"\"\"\nx");
        Assert.Equal("a\\n\n\"b\" \"", tokens[0].Text);
        Assert.Equal((3, 1), (tokens[^1].Line, tokens[^1].Column));
    }

    [Fact]
    public void Substitution_starts_are_tokens_of_their_own()
    {
        Assert.Equal([TokenKind.SubstitutionStart, TokenKind.UnquotedText, TokenKind.CloseBrace, TokenKind.OptionalSubstitutionStart],
            Tokens("${a}${?").Select(t => t.Kind));
    }

    [Fact]
    public void Byte_order_mark_and_unicode_spaces_are_whitespace()
    {
        var all = Tokenizer.Tokenize("\uFEFFa\u00A0\u2003b", "t", json: false);
        Assert.Equal([TokenKind.Whitespace, TokenKind.UnquotedText, TokenKind.Whitespace, TokenKind.UnquotedText, TokenKind.EndOfFile], all.Select(t => t.Kind));
    }

    [Theory]
    [InlineData("a + b", 1, 3)]
    [InlineData("a = $b", 1, 5)]
    [InlineData("x\n  @", 2, 3)]
    [InlineData("\"abc", 1, 1)]
    [InlineData("\"a\nb\"", 1, 1)]
    [InlineData("\"\\x\"", 1, 2)]
    public void Bad_characters_are_reported_where_they_are(string text, int line, int column)
    {
        var error = Assert.Throws<HoconException>(() => Tokenizer.Tokenize(text, "t", json: false));
        Assert.Equal((line, column), (error.Origin!.Line, error.Origin.Column));
    }

    [Theory]
    [InlineData("{\"a\": 1} // c")]
    [InlineData("{\"a\": x}")]
    [InlineData("{\"a\" = 1}")]
    [InlineData("{\"a\": ${b}}")]
    [InlineData("{\"a\": \"\"\"x\"\"\"}")]
    public void Json_mode_refuses_hocon_syntax(string text)
    {
        Assert.Throws<HoconException>(() => Tokenizer.Tokenize(text, "t", json: true));
    }
}
