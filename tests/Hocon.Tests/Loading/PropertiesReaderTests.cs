namespace ActorHost.Hocon.Tests.Loading;

public class PropertiesReaderTests
{
    private static Config Read(string text) =>
        ConfigFactory.ParseString(text, new HoconParseOptions { Syntax = HoconSyntax.Properties }).Resolve(HoconResolveOptions.NoEnvironment);

    [Fact]
    public void Keys_split_at_dots_and_values_stay_strings()
    {
        Assert.Equal("""{"a":{"b":"1","c":"true"},"d":"x y"}""", Read("a.b=1\na.c : true\nd x y").ToJson());
    }

    [Fact]
    public void Comments_continuations_and_escapes_follow_java()
    {
        var config = Read("# comment\n! also\nkey = one \\\n    two\nesc = a\\tb\\u0041\\=");
        Assert.Equal("one two", config.GetString("key"));
        Assert.Equal("a\tbA=", config.GetString("esc"));
    }

    [Fact]
    public void An_object_wins_over_a_value_at_the_same_key()
    {
        Assert.Equal("""{"a":{"b":"world"}}""", Read("a=hello\na.b=world").ToJson());
        Assert.Equal("""{"a":{"b":"world"}}""", Read("a.b=world\na=hello").ToJson());
    }

    [Fact]
    public void Numeric_keys_read_as_a_list()
    {
        Assert.Equal(["a", "b", "c"], Read("list.1=b\nlist.0=a\nlist.10=c").GetStringList("list"));
    }
}
