using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Resolution;

public class SubstitutionTests
{
    [Fact]
    public void Substitutions_look_forward_and_keep_the_type_of_a_lone_value()
    {
        HoconText.AssertResolvesTo("""{"a":{"x":1},"b":1,"c":true,"d":{"x":1},"e":[1],"t":true,"l":[1]}""", "b = ${a.x}, c = ${t}, d = ${a}, e = ${l}\na { x = 1 }\nt = true\nl = [1]", null);
    }

    [Fact]
    public void Quoted_path_elements_are_single_keys()
    {
        HoconText.AssertResolvesTo("""{"a.b":1,"a":{"b":2},"x":1,"y":2}""", "\"a.b\" = 1, a.b = 2, x = ${\"a.b\"}, y = ${a.b}");
    }

    [Fact]
    public void Substitutions_in_strings_use_the_text_of_numbers_as_written()
    {
        HoconText.AssertResolvesTo("""{"n":1.50,"s":"1.50 s","t":"x1.50y"}""", "n = 1.50, s = ${n} s, t = x${n}y");
    }

    [Fact]
    public void Optional_substitution_that_finds_nothing_drops_the_field()
    {
        HoconText.AssertResolvesTo("""{}""", "a = ${?nothing}\nb = ${?nothing}${?either}");
    }

    [Fact]
    public void Optional_substitution_that_finds_nothing_keeps_the_previous_value()
    {
        HoconText.AssertResolvesTo("""{"a":1}""", "a = 1\na = ${?nothing}");
    }

    [Fact]
    public void Optional_substitution_that_finds_nothing_leaves_no_array_element()
    {
        HoconText.AssertResolvesTo("""{"a":[1,2]}""", "a = [1, ${?nothing}, 2]");
    }

    [Fact]
    public void Optional_substitution_that_finds_nothing_is_empty_in_a_string()
    {
        HoconText.AssertResolvesTo("""{"a":"x  y","b":"pre-"}""", "a = x ${?nothing} y\nb = pre-${?nothing}");
    }

    [Fact]
    public void Optional_substitution_that_finds_nothing_is_empty_next_to_an_object_or_list()
    {
        HoconText.AssertResolvesTo("""{"a":{"x":1},"b":[1]}""", "a = ${?nothing} { x = 1 }\nb = ${?nothing} [1]");
    }

    [Fact]
    public void Missing_required_substitution_is_an_error_at_its_position()
    {
        var error = HoconText.AssertFailsAt(2, 7, "a = 1\nb = x ${nothing}");
        Assert.Contains("${nothing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_reference_appends_to_the_previous_value()
    {
        HoconText.AssertResolvesTo("""{"path":["/bin","/usr/bin"],"s":"a:b:c:d"}""", "path = [ /bin ]\npath = ${path} [ /usr/bin ]\ns = \"a:b:c\"\ns = ${s}\":d\"");
    }

    [Fact]
    public void Optional_self_reference_without_a_previous_value_is_empty()
    {
        HoconText.AssertResolvesTo("""{"a":"foo"}""", "a = ${?a}foo");
    }

    [Fact]
    public void Self_reference_without_a_previous_value_is_an_error()
    {
        var error = HoconText.AssertFailsAt(1, 7, "foo : ${foo}");
        Assert.Contains("refers to itself", error.Message, StringComparison.Ordinal);
        Assert.True(HoconText.Resolve("foo : ${?foo}").IsEmpty);
    }

    [Fact]
    public void Self_reference_through_a_path_sees_the_value_below()
    {
        HoconText.AssertResolvesTo("""{"foo":{"a":2,"c":1}}""", "foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }");
    }

    [Fact]
    public void Hidden_substitutions_are_never_evaluated()
    {
        HoconText.AssertResolvesTo("""{"foo":42,"bar":42}""", "foo : ${does-not-exist}\nfoo : 42\nbar : ${bar}\nbar : 42");
    }

    [Fact]
    public void An_object_may_refer_to_its_own_fields_and_sees_their_final_value()
    {
        HoconText.AssertResolvesTo("""{"bar":{"foo":43,"baz":43}}""", "bar : { foo : 42,\n baz : ${bar.foo} }\nbar : { foo : 43 }");
    }

    [Fact]
    public void Mutually_referring_objects_look_forward()
    {
        HoconText.AssertResolvesTo("""{"bar":{"a":4,"b":3},"foo":{"c":3,"d":4}}""", "bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4");
    }

    [Fact]
    public void Inheritance_through_object_concatenation()
    {
        HoconText.AssertResolvesTo("""{"generic":{"size":6},"east":{"size":6,"name":"east","label":"east-6"}}""",
            "generic = { size = 6 }\neast = ${generic} { name = \"east\", label = ${east.name}-${east.size} }");
    }

    [Fact]
    public void A_substitution_that_points_at_an_object_can_be_walked_into()
    {
        HoconText.AssertResolvesTo("""{"a":{"x":1,"y":1},"b":{"x":1,"y":1}}""", "a = ${b}\nb = { x = 1, y = ${a.x} }");
    }

    [Theory]
    [InlineData("bar : ${foo}\nfoo : ${bar}")]
    [InlineData("a : ${b}\nb : ${c}\nc : ${a}")]
    [InlineData("a : { b : ${a} }")]
    [InlineData("a : [ ${a} ]")]
    public void Unbreakable_cycles_are_errors_that_name_the_substitutions(string hocon)
    {
        var error = Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(hocon));
        Assert.Matches(@"^string:\d+:\d+: ", error.Message);
        Assert.Contains("${", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_message_lists_the_chain()
    {
        var error = Assert.ThrowsAny<HoconException>(() => HoconText.Resolve("a : ${b}\nb : ${c}\nc : ${a}"));
        Assert.Contains("${b} (1:5) -> ${c} (2:5) -> ${a} (3:5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_substitution_is_resolved_once_so_order_dependent_cases_agree()
    {
        var config = HoconText.Resolve("a : 1\nb : 2\na : ${b}\nb : ${a}");
        Assert.Equal(config.GetInt("a"), config.GetInt("b"));
    }

    [Fact]
    public void Environment_is_a_fallback_for_substitutions_not_in_the_tree()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/x", ["EMPTY"] = "", ["a"] = "env" };
        HoconText.AssertResolvesTo("""{"home":"/home/x","empty":"","a":"tree","b":"tree"}""", "home = ${HOME}\nempty = ${EMPTY}\na = tree\nb = ${a}", env);
    }

    [Fact]
    public void A_null_in_the_tree_blocks_the_environment()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/x" };
        HoconText.AssertResolvesTo("""{"HOME":null,"h":null}""", "HOME = null\nh = ${HOME}", env);
    }

    [Fact]
    public void Only_single_key_paths_come_from_the_environment()
    {
        var env = new Dictionary<string, string> { ["a.b"] = "x" };
        Assert.True(HoconText.Resolve("v = ${?a.b}", env).IsEmpty);
    }

    [Fact]
    public void Without_an_environment_source_nothing_comes_from_the_environment()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Assert.False(string.IsNullOrEmpty(path));
        Assert.True(HoconText.Resolve("p = ${?PATH}").IsEmpty);
        Assert.Equal(path, ConfigFactory.ParseString("p = ${?PATH}").Resolve(HoconResolveOptions.Default).GetString("p"));
    }

    [Fact]
    public void Long_substitution_chains_fail_cleanly()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => $"a{i} = ${{a{i + 1}}}").Append("a20000 = 1");
        var error = Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(string.Join('\n', lines)));
        Assert.Matches(@"^string:\d+:\d+: ", error.Message);
    }

    [Fact]
    public void Substitution_built_nesting_beyond_the_limit_fails_cleanly()
    {
        var lines = Enumerable.Range(1, 400).Select(i => $"a{i} = {{ x = ${{a{i - 1}}} }}").Prepend("a0 = {}");
        Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(string.Join('\n', lines)));
    }

    [Fact]
    public void Exponential_expansion_through_substitutions_fails_cleanly()
    {
        var lines = Enumerable.Range(1, 30).Select(i => $"a{i} = [${{a{i - 1}}}, ${{a{i - 1}}}, ${{a{i - 1}}}]").Prepend("a0 = [1, 2, 3]");
        var error = Assert.ThrowsAny<HoconException>(() => HoconText.Resolve(string.Join('\n', lines)));
        Assert.Contains("expand", error.Message, StringComparison.Ordinal);
    }
}
