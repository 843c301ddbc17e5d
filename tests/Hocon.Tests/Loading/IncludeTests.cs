using ActorHost.Hocon.Tests.Support;

namespace ActorHost.Hocon.Tests.Loading;

public sealed class IncludeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Config Load(string file, HoconParseOptions? options = null) =>
        ConfigFactory.ParseFile(Path.Combine(_dir.Path, file), options).Resolve(HoconResolveOptions.NoEnvironment);

    [Fact]
    public void Include_is_relative_to_the_including_file_and_merges_in_place()
    {
        _dir.Write("main.conf", "a = 1\nsub { include \"parts/x.conf\" }\nb = 3");
        _dir.Write("parts/x.conf", "x = 10\ninclude \"y.conf\"");
        _dir.Write("parts/y.conf", "y = 20");

        Assert.Equal("""{"a":1,"sub":{"x":10,"y":20},"b":3}""", Load("main.conf").ToJson());
    }

    [Fact]
    public void Included_keys_override_earlier_ones_and_later_keys_override_included_ones()
    {
        _dir.Write("main.conf", "a = 1\nb = 1\no { p = 1 }\ninclude \"inc.conf\"\nb = 3");
        _dir.Write("inc.conf", "a = 2\nb = 2\no { q = 2 }");

        Assert.Equal("""{"a":2,"b":3,"o":{"p":1,"q":2}}""", Load("main.conf").ToJson());
    }

    [Fact]
    public void Null_then_object_in_an_included_file_blocks_the_merge_with_what_came_before_the_include()
    {
        _dir.Write("main.conf", "o { p = 1 }\ninclude \"inc.conf\"");
        _dir.Write("inc.conf", "o = null\no { q = 2 }");

        Assert.Equal("""{"o":{"q":2}}""", Load("main.conf").ToJson());
    }

    [Fact]
    public void File_include_is_relative_to_the_including_file()
    {
        _dir.Write("conf/main.conf", "include file(\"other.conf\")");
        _dir.Write("conf/other.conf", "found = yes");

        Assert.True(Load("conf/main.conf").GetBoolean("found"));
    }

    [Fact]
    public void Extension_less_include_merges_properties_json_and_conf_with_conf_winning()
    {
        _dir.Write("main.conf", "include \"base\"");
        _dir.Write("base.properties", "a=props\nb=props\nc=props");
        _dir.Write("base.json", """{ "b": "json", "c": "json" }""");
        _dir.Write("base.conf", "c = conf");

        Assert.Equal("""{"a":"props","b":"json","c":"conf"}""", Load("main.conf").ToJson());
    }

    [Fact]
    public void Missing_include_is_ignored_but_a_missing_required_include_is_an_error()
    {
        _dir.Write("main.conf", "include \"nothere\"\na = 1");
        _dir.Write("required.conf", "a = 1\ninclude required(\"nothere.conf\")");

        Assert.Equal(1, Load("main.conf").GetInt("a"));
        var error = Assert.Throws<HoconException>(() => Load("required.conf"));
        Assert.StartsWith(Path.Combine(_dir.Path, "required.conf") + ":2:1: required include", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("include url(\"http://example.com/x.conf\")")]
    [InlineData("include classpath(\"x.conf\")")]
    public void Url_and_classpath_includes_are_reported_as_not_supported(string statement)
    {
        _dir.Write("main.conf", statement);

        var error = Assert.Throws<HoconException>(() => Load("main.conf"));
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_cycles_are_detected_and_named()
    {
        _dir.Write("a.conf", "include \"b.conf\"");
        _dir.Write("b.conf", "x { include \"a.conf\" }");

        var error = Assert.Throws<HoconException>(() => Load("a.conf"));
        Assert.Contains("include cycle: a.conf -> b.conf -> a.conf", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(_dir.Path, "b.conf") + ":1:5:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitutions_in_an_included_file_look_under_the_include_point_first_then_at_the_root()
    {
        _dir.Write("main.conf", "top = root\nlocal = root-local\na { include \"inc.conf\" }\na { x = 42 }");
        _dir.Write("inc.conf", "x = 10\ny = ${x}\nlocal = mine\nz = ${local}\nw = ${top}");

        var config = Load("main.conf");

        Assert.Equal(42, config.GetInt("a.y"));
        Assert.Equal("mine", config.GetString("a.z"));
        Assert.Equal("root", config.GetString("a.w"));
    }

    [Fact]
    public void Include_inside_an_array_works_unless_it_brings_substitutions()
    {
        _dir.Write("plain.conf", "x = 1");
        _dir.Write("subst.conf", "x = 1\ny = ${x}");
        _dir.Write("ok.conf", "list = [ { include \"plain.conf\" } ]");
        _dir.Write("bad.conf", "list = [ { include \"subst.conf\" } ]");

        Assert.Equal("""{"list":[{"x":1}]}""", Load("ok.conf").ToJson());
        Assert.Throws<HoconException>(() => Load("bad.conf"));
    }

    [Fact]
    public void Search_paths_are_tried_for_plain_includes_not_found_next_to_the_file()
    {
        _dir.Write("app/main.conf", "include \"lib.conf\"\ninclude \"/lib2.conf\"");
        _dir.Write("shared/lib.conf", "lib = 1");
        _dir.Write("shared/lib2.conf", "lib2 = 2");

        var config = Load("app/main.conf", new HoconParseOptions { IncludeSearchPaths = [Path.Combine(_dir.Path, "shared")] });

        Assert.Equal(1, config.GetInt("lib"));
        Assert.Equal(2, config.GetInt("lib2"));
        Assert.True(Load("app/main.conf").IsEmpty);
    }

    [Fact]
    public void Included_file_with_an_array_root_is_an_error()
    {
        _dir.Write("main.conf", "include \"list.json\"");
        _dir.Write("list.json", "[1, 2]");

        Assert.Throws<HoconException>(() => Load("main.conf"));
    }

    [Fact]
    public void Parse_file_any_syntax_merges_the_variants()
    {
        _dir.Write("app.properties", "a=1");
        _dir.Write("app.conf", "b = 2");

        var config = ConfigFactory.ParseFileAnySyntax(Path.Combine(_dir.Path, "app")).Resolve();

        Assert.Equal("1", config.GetString("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Throws<HoconException>(() => ConfigFactory.ParseFileAnySyntax(Path.Combine(_dir.Path, "none")));
    }

    [Fact]
    public void Missing_file_is_an_error_with_the_file_as_origin()
    {
        var missing = Path.Combine(_dir.Path, "missing.conf");
        var error = Assert.Throws<HoconException>(() => ConfigFactory.ParseFile(missing));
        Assert.StartsWith(missing + ":1:1: file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_wrappers_nest_and_allow_whitespace_inside_the_parentheses()
    {
        _dir.Write("main.conf", "a { include required(file(\"x.conf\")) }\nb { include required( file( \"x.conf\" ) ) }\nc { include\n  \"x\" }");
        _dir.Write("x.conf", "v = 1");

        Assert.Equal("""{"a":{"v":1},"b":{"v":1},"c":{"v":1}}""", Load("main.conf").ToJson());
    }

    [Theory]
    [InlineData("include file(required(\"x.conf\"))")]
    [InlineData("include file(\"x.conf\"")]
    [InlineData("include file(\"x.conf\")))")]
    [InlineData("include x.conf")]
    [InlineData("include \"x.conf\" \"y.conf\"")]
    public void Malformed_include_statements_are_errors(string statement)
    {
        _dir.Write("main.conf", statement);
        _dir.Write("x.conf", "v = 1");

        var error = Assert.Throws<HoconException>(() => Load("main.conf"));
        Assert.StartsWith(Path.Combine(_dir.Path, "main.conf") + ":1:", error.Message, StringComparison.Ordinal);
    }
}
