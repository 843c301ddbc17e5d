using ActorHost.Hocon.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ActorHost.Hocon.Tests.Configuration;

public sealed class HoconConfigurationProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed class ServerOptions
    {
        public int Port { get; set; }

        public bool Development { get; set; }

        public List<string> Urls { get; set; } = [];

        public Dictionary<string, RouteOptions> Routes { get; set; } = [];
    }

    public sealed class RouteOptions
    {
        public string Path { get; set; } = "";

        public int Instances { get; set; }
    }

    [Fact]
    public void Hocon_file_sections_bind_to_options()
    {
        _dir.Write("base.conf", "server.port = 8080");
        var path = _dir.Write("app.conf", """
            include "base.conf"
            server {
              development = on   # on/off is HOCON, so write true/false for binding...
              development = true
              urls = ["http://a", "http://b"]
              routes.echo { path = /echo, instances = 4 }
              routes.echo.instances = ${server.port}
            }
            """);

        var configuration = new ConfigurationBuilder().AddHoconFile(path).Build();
        var options = configuration.GetSection("server").Get<ServerOptions>()!;

        Assert.Equal(8080, options.Port);
        Assert.True(options.Development);
        Assert.Equal(["http://a", "http://b"], options.Urls);
        Assert.Equal("/echo", options.Routes["echo"].Path);
        Assert.Equal(8080, options.Routes["echo"].Instances);
    }

    [Fact]
    public void Keys_are_flattened_with_colons_and_list_indices()
    {
        var configuration = new ConfigurationBuilder().AddHoconString("a { b = 1, list = [x, { y = 2 }], empty = [], n = null, t = yes }", HoconResolveOptions.NoEnvironment).Build();

        Assert.Equal("1", configuration["a:b"]);
        Assert.Equal("x", configuration["a:list:0"]);
        Assert.Equal("2", configuration["a:list:1:y"]);
        Assert.Null(configuration["a:empty"]);
        Assert.Null(configuration["a:n"]);
        Assert.Equal("yes", configuration["a:t"]);
    }

    [Fact]
    public void Later_sources_override_earlier_ones()
    {
        var first = _dir.Write("first.conf", "a = 1, b = 1");
        var second = _dir.Write("second.conf", "b = 2");

        var configuration = new ConfigurationBuilder().AddHoconFile(first).AddHoconFile(second).Build();

        Assert.Equal("1", configuration["a"]);
        Assert.Equal("2", configuration["b"]);
    }

    [Fact]
    public void Optional_missing_file_is_skipped_and_a_required_one_fails()
    {
        var missing = Path.Combine(_dir.Path, "missing.conf");

        Assert.Empty(new ConfigurationBuilder().AddHoconFile(missing, optional: true).Build().AsEnumerable());
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(missing, optional: false).Build());
    }

    [Fact]
    public void Parse_errors_carry_the_file_line_and_column()
    {
        var path = _dir.Write("bad.conf", "a = 1\nb = [");

        var error = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddHoconFile(path).Build());

        var hocon = Assert.IsType<HoconException>(error.InnerException ?? error, exactMatch: false);
        Assert.StartsWith(path + ":2:6:", hocon.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_differing_only_in_case_are_an_error_naming_both_settings()
    {
        var path = _dir.Write("case.conf", "x {\n  Level = Warning\n  level = Debug\n}");

        var error = Assert.ThrowsAny<Exception>(() => new ConfigurationBuilder().AddHoconFile(path).Build());

        var hocon = Assert.IsType<HoconException>(error.InnerException ?? error, exactMatch: false);
        Assert.StartsWith(path + ":3:11:", hocon.Message, StringComparison.Ordinal);
        Assert.Contains("'x:level' and 'x:Level' (at " + path + ":2:11)", hocon.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_containing_a_colon_that_flattens_onto_a_nested_key_is_an_error()
    {
        var config = HoconText.Resolve("\"a:b\" = 1\na { B = 2 }");

        var error = Assert.Throws<HoconException>(() => new ConfigurationBuilder().AddHocon(config).Build());

        Assert.StartsWith("string:2:9:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a:B' and 'a:b' (at string:1:9)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_that_differ_in_more_than_case_stay_separate()
    {
        var configuration = new ConfigurationBuilder().AddHocon(HoconText.Resolve("x { level = Debug, levels = [], Level2 = Warning }")).Build();

        Assert.Equal("Debug", configuration["x:LEVEL"]);
        Assert.Null(configuration["x:levels"]);
        Assert.Equal("Warning", configuration["x:level2"]);
    }

    [Fact]
    public void A_layered_config_can_be_added_as_a_whole()
    {
        var reference = ConfigFactory.ParseString("a = 1, b = ${a}").Resolve(HoconResolveOptions.NoEnvironment);
        var config = ConfigFactory.ParseString("a = 2, c = ${b}").WithFallback(reference).Resolve(HoconResolveOptions.NoEnvironment);

        var configuration = new ConfigurationBuilder().AddHocon(config).Build();

        Assert.Equal("2", configuration["a"]);
        Assert.Equal("1", configuration["c"]);
    }

    [Fact]
    public void Environment_fallback_can_be_injected_into_the_file_source()
    {
        var path = _dir.Write("env.conf", "home = ${HOME}");

        var configuration = new ConfigurationBuilder().AddHoconFile(source =>
        {
            source.Path = path;
            source.ResolveFileProvider();
            source.ResolveOptions = HoconResolveOptions.WithEnvironment(new Dictionary<string, string> { ["HOME"] = "/injected" });
        }).Build();

        Assert.Equal("/injected", configuration["home"]);
    }
}
