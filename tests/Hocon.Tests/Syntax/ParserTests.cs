using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Syntax;

public class ParserTests
{
    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("{ a = 1 }")]
    [InlineData("a { }\na = 1")]
    [InlineData("\n\n  a = 1  \n\n")]
    public void Root_braces_and_separator_are_optional(string hocon)
    {
        HoconText.AssertResolvesTo("""{"a":1}""", hocon);
    }

    [Fact]
    public void Separator_may_be_left_out_before_an_open_brace_even_across_lines()
    {
        HoconText.AssertResolvesTo("""{"a":{"x":1},"b":{"y":2}}""", "a { x = 1 }\nb\n{ y = 2 }");
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("[1,2,3,]")]
    [InlineData("[1\n2\n3]")]
    [InlineData("[\n1,\n2\n,3\n]")]
    public void Newlines_separate_elements_like_commas_and_one_trailing_comma_is_allowed(string array)
    {
        HoconText.AssertResolvesTo("""{"a":[1,2,3]}""", "a = " + array);
    }

    [Theory]
    [InlineData("a = [1,2,3,,]", 1, 12)]
    [InlineData("a = [,1]", 1, 6)]
    [InlineData("a = [1,,2]", 1, 8)]
    [InlineData("a = 1,, b = 2", 1, 7)]
    [InlineData("{ , a = 1 }", 1, 3)]
    public void Extra_commas_are_errors(string hocon, int line, int column)
    {
        HoconText.AssertFailsAt(line, column, hocon);
    }

    [Fact]
    public void Fields_on_one_line_need_a_comma()
    {
        var error = HoconText.AssertFailsAt(1, 9, "a = 1 b = 2");
        Assert.Contains("found '='", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_between_simple_values_is_kept_and_around_them_trimmed()
    {
        HoconText.AssertResolvesTo("""{"a":"foo bar  baz","b":"x1 true null 2.50"}""", "a =   foo bar  baz   \nb = x1 true null 2.50 // c");
    }

    [Fact]
    public void A_single_value_keeps_its_type()
    {
        var config = HoconText.Resolve("a = true, b = 42, c = null, d = \"true\"");
        Assert.IsType<HoconBoolean>(config.GetValue("a"));
        Assert.IsType<HoconNumber>(config.GetValue("b"));
        Assert.True(config.IsNull("c"));
        Assert.IsType<HoconString>(config.GetValue("d"));
    }

    [Fact]
    public void Spaces_inside_a_line_concatenate_and_newlines_separate()
    {
        HoconText.AssertResolvesTo("""{"a":["1 2 3 4"],"b":[1,2,3,4],"c":[[1,2,3,4]],"d":[[1,2],[3,4]]}""",
            "a = [ 1 2 3 4 ]\nb = [ 1\n2\n3\n4 ]\nc = [ [ 1, 2 ] [ 3, 4 ] ]\nd = [ [ 1, 2 ]\n[ 3, 4 ] ]");
    }

    [Fact]
    public void Quoted_and_unquoted_pieces_concatenate()
    {
        HoconText.AssertResolvesTo("""{"a":"x\" yz"}""", "a = x\"\\\" y\"z");
    }

    [Fact]
    public void Path_keys_expand_into_nested_objects()
    {
        HoconText.AssertResolvesTo("""{"a":{"b":{"c":1,"d":2}},"x.y":3,"p":{"q.r":4}}""", "a.b.c = 1, a.b.d = 2, \"x.y\" = 3, p.\"q.r\" = 4");
    }

    [Fact]
    public void Numbers_in_keys_split_at_their_dots_and_keep_their_text()
    {
        HoconText.AssertResolvesTo("""{"3":{"14":1},"10":{"0foo":2},"true":3,"1":{"2":{"3":4}},"foo10":{"0":5}}""",
            "3.14 = 1, 10.0foo = 2, true = 3, 1.2.3 = 4, foo10.0 = 5");
    }

    [Fact]
    public void Whitespace_inside_a_key_is_part_of_it()
    {
        HoconText.AssertResolvesTo("""{"a b c":42}""", "a b c : 42");
    }

    [Theory]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("a. = 1")]
    public void Empty_path_elements_must_be_quoted(string hocon)
    {
        HoconText.AssertFailsAt(1, 1, hocon);
        HoconText.AssertResolvesTo("""{"a":{"":{"b":1}}}""", "a.\"\".b = 1");
    }

    [Fact]
    public void Include_is_special_only_at_the_start_of_a_key()
    {
        HoconText.AssertResolvesTo("""{"foo include":42,"bar":"include","baz":["include"],"include":1}""",
            "foo include : 42\nbar : include\nbaz : [ include ]\n\"include\" : 1");
    }

    [Fact]
    public void Triple_quoted_strings_follow_the_four_quote_rule()
    {
        HoconText.AssertResolvesTo("""{"a":"hello\"","b":"\"\"","c":"x\ny"}""", "a = \"\"\"hello\"\"\"\"\nb = \"\"\"\"\"\"\"\"\nc = \"\"\"x\ny\"\"\"");
    }

    [Fact]
    public void An_empty_document_is_an_empty_object()
    {
        Assert.True(HoconText.Resolve("  # nothing\n// here\n").IsEmpty);
    }

    [Theory]
    [InlineData("a = 1 }", 1, 7)]
    [InlineData("{ a = 1", 1, 8)]
    [InlineData("a = [1", 1, 7)]
    [InlineData("a = ", 1, 5)]
    [InlineData("a 1", 1, 4)]
    [InlineData("a = ${b", 1, 8)]
    [InlineData("a ${b} = 1", 1, 3)]
    [InlineData("{ a = 1 } { b = 2 }", 1, 11)]
    public void Syntax_errors_name_the_position_and_what_was_expected(string hocon, int line, int column)
    {
        var error = HoconText.AssertFailsAt(line, column, hocon);
        Assert.Matches("expected|unbalanced|not allowed", error.Detail);
    }

    [Fact]
    public void A_value_with_a_colon_gets_a_quoting_hint()
    {
        var error = HoconText.AssertFailsAt(1, 9, "a = http://x");
        Assert.Contains("double quotes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Array_at_the_root_is_not_a_configuration()
    {
        HoconText.AssertFailsAt(1, 1, "[1, 2]");
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var deep = "a = " + new string('[', 5000) + new string(']', 5000);
        var error = Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(deep));
        Assert.Contains("nest more than", error.Message, StringComparison.Ordinal);

        var deepKey = "a" + string.Concat(Enumerable.Repeat(".a", 1000)) + " = 1";
        Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(deepKey));
    }

    [Fact]
    public void Strict_json_refuses_hocon_only_syntax()
    {
        var json = new HoconParseOptions { Syntax = HoconSyntax.Json };
        Assert.Throws<HoconException>(() => ConfigFactory.ParseString("a = 1", json));
        Assert.Throws<HoconException>(() => ConfigFactory.ParseString("{\"a\": 1,}", json));
        Assert.Throws<HoconException>(() => ConfigFactory.ParseString("{\"a\": 1\n\"b\": 2}", json));
        Assert.Throws<HoconException>(() => ConfigFactory.ParseString("{\"a\" {}}", json));
        Assert.Throws<HoconException>(() => ConfigFactory.ParseString("", json));
        Assert.Equal("""{"a.b":[1,{"c":null}]}""", ConfigFactory.ParseString("{\"a.b\": [1, {\"c\": null}]}", json).Resolve().ToJson());
    }
}
